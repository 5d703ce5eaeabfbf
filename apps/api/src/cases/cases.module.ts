import { Module } from '@nestjs/common';

import { AddEvidenceRoute } from './add-evidence/add-evidence';
import { AddNoteRoute } from './add-note/add-note';
import { ApproveClosureRoute } from './approve-closure/approve-closure';
import { AssignCaseRoute } from './assign-case/assign-case';
import { CaseHistoryRoute, GetCaseHistoryHandler } from './case-history/case-history';
import { ActOnCaseHandler } from './cases.handlers';
import { ClassifyCaseRoute } from './classify-case/classify-case';
import { GetCaseHandler, GetCaseRoute } from './get-case/get-case';
import { MakeReferralRoute } from './make-referral/make-referral';
import { OpenCaseHandler, OpenCaseRoute } from './open-case/open-case';
import { RecordActionOutcomeRoute } from './record-action-outcome/record-action-outcome';
import { RecordMediationMinutesRoute } from './record-mediation-minutes/record-mediation-minutes';
import { RejectClosureRoute } from './reject-closure/reject-closure';
import { ReopenCaseRoute } from './reopen-case/reopen-case';
import { ResolveCaseRoute } from './resolve-case/resolve-case';
import { ResumeCaseRoute } from './resume-case/resume-case';
import { StartActionRoute } from './start-action/start-action';
import { SuspendCaseRoute } from './suspend-case/suspend-case';
import { VerifyCaseRoute } from './verify-case/verify-case';

/**
 * Case accompaniment: a worker's complaint from intake to closure. One folder per use case (its route,
 * its DTO, its handler where it has its own); every step on a case runs through ActOnCase, the
 * context's one command path (cases.handlers.ts), from the routes' shared base (cases.routes.ts).
 */
@Module({
  controllers: [
    OpenCaseRoute,
    GetCaseRoute,
    CaseHistoryRoute,
    VerifyCaseRoute,
    ClassifyCaseRoute,
    AssignCaseRoute,
    StartActionRoute,
    MakeReferralRoute,
    RecordActionOutcomeRoute,
    RecordMediationMinutesRoute,
    AddNoteRoute,
    AddEvidenceRoute,
    ResolveCaseRoute,
    ApproveClosureRoute,
    RejectClosureRoute,
    SuspendCaseRoute,
    ResumeCaseRoute,
    ReopenCaseRoute,
  ],
  providers: [OpenCaseHandler, ActOnCaseHandler, GetCaseHandler, GetCaseHistoryHandler],
})
export class CasesModule {}
