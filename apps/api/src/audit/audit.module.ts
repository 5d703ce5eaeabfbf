import { Module } from '@nestjs/common';

import { AuditController } from './audit.controller';
import { DiffController } from './diff.controller';
import { IntegrityService } from './integrity.service';

/** What auditors use: raw streams, the integrity chain and its seals, diffs and the access log. */
@Module({ controllers: [AuditController, DiffController], providers: [IntegrityService] })
export class AuditModule {}
