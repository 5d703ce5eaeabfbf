import { Module } from '@nestjs/common';

import { CertifyCompetencyRoute } from './certify-competency/certify-competency';
import { CompleteDocumentsRoute } from './complete-documents/complete-documents';
import { CompleteOrientationRoute } from './complete-orientation/complete-orientation';
import { DeclareMoratoriumRoute } from './declare-moratorium/declare-moratorium';
import { EnrollSocialSecurityRoute } from './enroll-social-security/enroll-social-security';
import { FlagNonProceduralRoute } from './flag-non-procedural/flag-non-procedural';
import { GetAgencyHandler, GetAgencyRoute } from './get-agency/get-agency';
import { GetPlacementHandler, GetPlacementRoute } from './get-placement/get-placement';
import { IssueRecruitmentPermitRoute } from './issue-recruitment-permit/issue-recruitment-permit';
import { LicenseAgencyRoute } from './license-agency/license-agency';
import { LiftMoratoriumRoute } from './lift-moratorium/lift-moratorium';
import { ListAgenciesHandler, ListAgenciesRoute } from './list-agencies/list-agencies';
import { ListMoratoriumsHandler, ListMoratoriumsRoute } from './list-moratoriums/list-moratoriums';
import { GetPlacementHistoryHandler, PlacementHistoryRoute } from './placement-history/placement-history';
import { AdvancePlacementHandler, PlacementSteps } from './placements.handlers';
import { RecordDepartureRoute } from './record-departure/record-departure';
import { RecordDepartureFailureRoute } from './record-departure-failure/record-departure-failure';
import { RecordDocumentRoute, RecordPlacementDocumentHandler } from './record-document/record-document';
import { RecordMedicalClearanceHandler, RecordMedicalClearanceRoute } from './record-medical-clearance/record-medical-clearance';
import { RecordReturnRoute } from './record-return/record-return';
import { ActOnAgencyHandler, ChangeMoratoriumHandler, MoratoriumSeed } from './reference.handlers';
import { RegisterPlacementHandler, RegisterPlacementRoute } from './register-placement/register-placement';
import { RenewLicenceRoute } from './renew-licence/renew-licence';
import { ReportArrivalRoute } from './report-arrival/report-arrival';
import { ResolveWarningSignRoute } from './resolve-warning-sign/resolve-warning-sign';
import { RevokeLicenceRoute } from './revoke-licence/revoke-licence';
import { SelectJobOrderHandler, SelectJobOrderRoute } from './select-job-order/select-job-order';
import { SignPlacementAgreementRoute } from './sign-placement-agreement/sign-placement-agreement';
import { WithdrawPlacementRoute } from './withdraw-placement/withdraw-placement';

/**
 * Placement facilitation: the legal path abroad, with its reference data (agencies, moratoriums). One
 * folder per use case (route, DTO, own handler); the steps on a placement share PlacementSteps, the
 * context's one command path, and the agency and moratorium changes theirs (reference.handlers.ts).
 */
@Module({
  controllers: [
    RegisterPlacementRoute,
    GetPlacementRoute,
    PlacementHistoryRoute,
    RecordDocumentRoute,
    SelectJobOrderRoute,
    RecordMedicalClearanceRoute,
    CertifyCompetencyRoute,
    SignPlacementAgreementRoute,
    EnrollSocialSecurityRoute,
    CompleteDocumentsRoute,
    CompleteOrientationRoute,
    RecordDepartureRoute,
    ReportArrivalRoute,
    RecordReturnRoute,
    WithdrawPlacementRoute,
    RecordDepartureFailureRoute,
    FlagNonProceduralRoute,
    ResolveWarningSignRoute,
    LicenseAgencyRoute,
    ListAgenciesRoute,
    GetAgencyRoute,
    RenewLicenceRoute,
    IssueRecruitmentPermitRoute,
    RevokeLicenceRoute,
    ListMoratoriumsRoute,
    DeclareMoratoriumRoute,
    LiftMoratoriumRoute,
  ],
  providers: [
    PlacementSteps,
    RegisterPlacementHandler,
    RecordPlacementDocumentHandler,
    SelectJobOrderHandler,
    RecordMedicalClearanceHandler,
    AdvancePlacementHandler,
    GetPlacementHandler,
    GetPlacementHistoryHandler,
    ActOnAgencyHandler,
    GetAgencyHandler,
    ListAgenciesHandler,
    ChangeMoratoriumHandler,
    ListMoratoriumsHandler,
    MoratoriumSeed,
  ],
})
export class PlacementsModule {}
