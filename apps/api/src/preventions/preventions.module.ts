import { Module } from '@nestjs/common';

import { AnswerPassportDeferralRoute } from './answer-passport-deferral/answer-passport-deferral';
import { ClosePreventionRoute } from './close-prevention/close-prevention';
import { ConfirmFlagRoute } from './confirm-flag/confirm-flag';
import { DismissFlagRoute } from './dismiss-flag/dismiss-flag';
import { GetPreventionHandler, GetPreventionRoute } from './get-prevention/get-prevention';
import { GetPreventionHistoryHandler, PreventionHistoryRoute } from './prevention-history/prevention-history';
import { ActOnPreventionHandler } from './preventions.handlers';
import { RaiseFlagRoute } from './raise-flag/raise-flag';
import { RecordInterventionRoute } from './record-intervention/record-intervention';
import { RecordOutcomeRoute } from './record-outcome/record-outcome';
import { ReportRecruitmentHandler, ReportRecruitmentRoute } from './report-recruitment/report-recruitment';
import { RequestCaseRoute } from './request-case/request-case';
import { VerifyReportRoute } from './verify-report/verify-report';

/**
 * Prevention of non-procedural placement: stopping illegal recruitment. One folder per use case (route,
 * DTO, own handler); the steps on a record share ActOnPrevention, the context's one command path.
 */
@Module({
  controllers: [
    ReportRecruitmentRoute,
    GetPreventionRoute,
    PreventionHistoryRoute,
    RaiseFlagRoute,
    ConfirmFlagRoute,
    DismissFlagRoute,
    VerifyReportRoute,
    RecordInterventionRoute,
    AnswerPassportDeferralRoute,
    RecordOutcomeRoute,
    RequestCaseRoute,
    ClosePreventionRoute,
  ],
  providers: [ReportRecruitmentHandler, ActOnPreventionHandler, GetPreventionHandler, GetPreventionHistoryHandler],
})
export class PreventionsModule {}
