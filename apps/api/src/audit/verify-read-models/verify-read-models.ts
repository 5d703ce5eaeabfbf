import { type ReadModelVerification } from '@jejak/read-models';
import { Get, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

import { Allow } from '../../access/rules';
import { ApiProblems } from '../../http/openapi';
import { AuditRoute, AuditRoutes } from '../audit.routes';

export class ReadModelsQuery {
  @ApiPropertyOptional({ example: 'cases', description: 'one read model (cases, placements, preventions); all when absent' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,40}$/, { message: 'must be a read model name' })
  name?: string;
}

@AuditRoute()
export class VerifyReadModelsRoute extends AuditRoutes {
  /**
   * Proof that what the API serves equals the log: each document of each read model compared with the
   * projection's own fold of the events up to the read model's checkpoint. A row changed in the database
   * is named here, though the event log itself verifies intact.
   */
  @Get('read-models')
  // Read models against the log: record ids at most, no content, so any auditor.
  @Allow(['auditor'])
  @ApiOkResponse({ description: 'per read model: intact, or the documents (and counters) that differ from the log, by id' })
  @ApiProblems(400, 404)
  async verifyReadModels(@Query() query: ReadModelsQuery): Promise<{ intact: boolean; items: ReadModelVerification[] }> {
    const items = await this.readModels(query.name);
    return { intact: items.every((r) => r.intact), items };
  }
}
