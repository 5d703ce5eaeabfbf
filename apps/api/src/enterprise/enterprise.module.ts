import { Module } from '@nestjs/common';

import { AdmitGroupMemberRoute } from './admit-group-member/admit-group-member';
import { ChangeBusinessStatusRoute } from './change-business-status/change-business-status';
import { CorrectVolumeRoute } from './correct-volume/correct-volume';
import { ActOnBusinessHandler, ActOnGroupHandler } from './enterprise.handlers';
import { FormGroupHandler, FormGroupRoute } from './form-group/form-group';
import { GetBusinessHandler, GetBusinessRoute } from './get-business/get-business';
import { GetConsultationHandler, GetConsultationRoute } from './get-consultation/get-consultation';
import { GetGroupHandler, GetGroupRoute } from './get-group/get-group';
import { RecordConsultationHandler, RecordConsultationRoute } from './record-consultation/record-consultation';
import { RecordGroupMemberLeavingRoute } from './record-group-member-leaving/record-group-member-leaving';
import { RegisterBusinessHandler, RegisterBusinessRoute } from './register-business/register-business';
import { RegisterCooperativeRoute } from './register-cooperative/register-cooperative';
import { ReportVolumeRoute } from './report-volume/report-volume';

/**
 * The economic unit (kelompok usaha): business units and their monthly volume, business groups and
 * cooperatives, business-development consultations. One folder per use case; the steps on a business and
 * on a group share ActOnBusiness and ActOnGroup. The people's business credit (KUR) is not here yet.
 */
@Module({
  controllers: [
    RegisterBusinessRoute,
    GetBusinessRoute,
    ChangeBusinessStatusRoute,
    ReportVolumeRoute,
    CorrectVolumeRoute,
    FormGroupRoute,
    GetGroupRoute,
    AdmitGroupMemberRoute,
    RecordGroupMemberLeavingRoute,
    RegisterCooperativeRoute,
    RecordConsultationRoute,
    GetConsultationRoute,
  ],
  providers: [
    RegisterBusinessHandler,
    GetBusinessHandler,
    ActOnBusinessHandler,
    FormGroupHandler,
    GetGroupHandler,
    ActOnGroupHandler,
    RecordConsultationHandler,
    GetConsultationHandler,
  ],
})
export class EnterpriseModule {}
