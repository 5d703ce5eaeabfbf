import { Module } from '@nestjs/common';

import { AdmitMemberRoute } from './admit-member/admit-member';
import { ChangeMemberRelationRoute } from './change-member-relation/change-member-relation';
import { ActOnCommunityHandler } from './communities.handlers';
import { DissolveCommunityRoute } from './dissolve-community/dissolve-community';
import { FormCommunityHandler, FormCommunityRoute } from './form-community/form-community';
import { GetCommunityHandler, GetCommunityRoute } from './get-community/get-community';
import { RecordMemberLeavingRoute } from './record-member-leaving/record-member-leaving';

/**
 * KKBM communities: formed for their villages, their members with their relation to migration. One folder
 * per use case (route, DTO, own handler); the steps on a community share ActOnCommunity, its one command path.
 */
@Module({
  controllers: [
    FormCommunityRoute,
    GetCommunityRoute,
    AdmitMemberRoute,
    ChangeMemberRelationRoute,
    RecordMemberLeavingRoute,
    DissolveCommunityRoute,
  ],
  providers: [FormCommunityHandler, ActOnCommunityHandler, GetCommunityHandler],
})
export class CommunitiesModule {}
