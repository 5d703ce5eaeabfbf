import { type RequestContext } from '@jejak/kernel';
import { Get, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Length, Matches } from 'class-validator';

import { Allow } from '../../access/rules';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { AuditEvent, AuditPage, bound, Row, SELECT, toAuditEvent } from '../audit.dto';
import { AuditRoute, AuditRoutes } from '../audit.routes';
import { territorySql } from '../replay';

export class AuditEventsQuery extends AuditPage {
  @ApiPropertyOptional({ description: 'the actor id events were written by' })
  @IsOptional()
  @Length(1, 200)
  actor?: string;

  @ApiPropertyOptional({ example: 'CaseResolved' })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/, { message: 'must be an event type' })
  type?: string;

  @ApiPropertyOptional({ example: '32', description: 'only streams of records in this area (2 to 10 digits)' })
  @IsOptional()
  @Matches(/^(\d{2}|\d{4}|\d{6}|\d{10})$/, { message: 'must be a 2, 4, 6 or 10-digit administrative code' })
  area?: string;

  @ApiPropertyOptional({ description: 'the events of one request: its correlation id (metadata.correlationId)' })
  @IsOptional()
  @Length(1, 200)
  correlation?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the events an event caused: its id, as they name it in metadata.causationId' })
  @IsOptional()
  @IsUUID()
  causedBy?: string;
}

@AuditRoute()
export class AuditEventsRoute extends AuditRoutes {
  /** Across streams: what an officer did last month, every resolution in a province... within the caller's territory. */
  @Get('events')
  @Allow(['auditor'])
  @ApiOkResponse({ description: 'events in log order, filtered by actor, type, time and area, with a cursor' })
  @ApiProblems(400)
  async events(
    @Query() query: AuditEventsQuery,
    @Ctx() context: RequestContext,
  ): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
    const params: unknown[] = [];
    let where = `e.position > $${params.push(query.cursor ?? '-1')}`;
    if (query.actor) where += ` and e.metadata->>'actorId' = $${params.push(query.actor)}`;
    if (query.type) where += ` and e.type = $${params.push(query.type)}`;
    if (query.correlation) where += ` and e.metadata->>'correlationId' = $${params.push(query.correlation)}`;
    if (query.causedBy) where += ` and e.metadata->>'causationId' = $${params.push(query.causedBy)}`;
    if (query.from) where += ` and e.recorded_at >= $${params.push(bound(query.from, false))}::timestamptz`;
    if (query.to) where += ` and e.recorded_at <= $${params.push(bound(query.to, true))}::timestamptz`;
    if (query.area) {
      where += ` and exists (select 1 from ${this.log} a where a.stream_id = e.stream_id and a.revision = 0 and starts_with(a.data->>'areaCode', $${params.push(query.area)}))`;
    }
    where += territorySql(context.actor!, params, this.log);
    const limit = query.limit ?? 100;
    const rows = await this.db.query<Row>(
      `${SELECT.replace('jejak_events', this.log)} where ${where} order by e.position limit ${limit}`,
      params,
    );
    return { items: rows.map(toAuditEvent), nextCursor: rows.length === limit ? rows[rows.length - 1]!.position : null };
  }
}
