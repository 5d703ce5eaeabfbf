import { Module } from '@nestjs/common';

import { AccessEntriesRoute } from './access-entries/access-entries';
import { AuditEventsRoute } from './audit-events/audit-events';
import { AuditStreamRoute } from './audit-stream/audit-stream';
import { CaseFileRoute } from './case-file/case-file';
import { DiffCaseRoute } from './diff-case/diff-case';
import { DiffPlacementRoute } from './diff-placement/diff-placement';
import { DiffPreventionRoute } from './diff-prevention/diff-prevention';
import { IntegrityService } from './integrity.service';
import { ListSealsRoute } from './list-seals/list-seals';
import { VerifyChainRoute } from './verify-chain/verify-chain';
import { VerifyReadModelsRoute } from './verify-read-models/verify-read-models';

/**
 * What auditors use: raw streams, the integrity chain and its seals, diffs and the access log. One folder
 * per use case (route and its query); what the audit routes share is in audit.routes.ts and audit.dto.ts.
 */
@Module({
  controllers: [
    VerifyReadModelsRoute,
    AuditStreamRoute,
    CaseFileRoute,
    AuditEventsRoute,
    AccessEntriesRoute,
    ListSealsRoute,
    VerifyChainRoute,
    DiffCaseRoute,
    DiffPlacementRoute,
    DiffPreventionRoute,
  ],
  providers: [IntegrityService],
})
export class AuditModule {}
