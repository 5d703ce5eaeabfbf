import { Module } from '@nestjs/common';

import { AdmitGroupMemberRoute } from './admit-group-member/admit-group-member';
import { ApplyForKurRoute } from './apply-for-kur/apply-for-kur';
import { ChangeBusinessStatusRoute } from './change-business-status/change-business-status';
import { CorrectVolumeRoute } from './correct-volume/correct-volume';
import { DecideKurRoute } from './decide-kur/decide-kur';
import { ActOnBusinessHandler, ActOnGroupHandler } from './enterprise.handlers';
import { FormGroupHandler, FormGroupRoute } from './form-group/form-group';
import { GetBusinessHandler, GetBusinessRoute } from './get-business/get-business';
import { GetConsultationHandler, GetConsultationRoute } from './get-consultation/get-consultation';
import { GetGroupHandler, GetGroupRoute } from './get-group/get-group';
import { GetKurHandler, GetKurRoute } from './get-kur/get-kur';
import { ActOnKurHandler, ApplyForKurHandler } from './kur.handlers';
import { RecordConsultationHandler, RecordConsultationRoute } from './record-consultation/record-consultation';
import { RecordGroupMemberLeavingRoute } from './record-group-member-leaving/record-group-member-leaving';
import { RegisterBusinessHandler, RegisterBusinessRoute } from './register-business/register-business';
import { RegisterCooperativeRoute } from './register-cooperative/register-cooperative';
import { ReportVolumeRoute } from './report-volume/report-volume';

/**
 * The economic unit (kelompok usaha): business units and their monthly volume, business groups and
 * cooperatives, business-development consultations, people's business credit (KUR). One folder per use
 * case; the steps on a business, a group and a KUR application share ActOnBusiness, ActOnGroup and ActOnKur.
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
    ApplyForKurRoute,
    GetKurRoute,
    DecideKurRoute,
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
    ApplyForKurHandler,
    ActOnKurHandler,
    GetKurHandler,
  ],
})
export class EnterpriseModule {}
