import { type JsonValue } from '@jejak/event-store';
import { type RequestContext } from '@jejak/kernel';
import { Get, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Length } from 'class-validator';

import { Allow } from '../../access/rules';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { ACCESS_EVENT } from '../access-log';
import { AuditPage, bound } from '../audit.dto';
import { AuditRoute, AuditRoutes } from '../audit.routes';
import { areaOfStream, covers } from '../replay';

export class AccessQuery extends AuditPage {
  @ApiPropertyOptional({ description: 'reads of records of this data subject' })
  @IsOptional()
  @IsUUID()
  subject?: string;

  @ApiPropertyOptional({ description: 'reads by this actor' })
  @IsOptional()
  @Length(1, 200)
  actor?: string;

  @ApiPropertyOptional({ enum: ['case', 'placement', 'prevention', 'subject', 'stream', 'export'] })
  @IsOptional()
  @IsIn(['case', 'placement', 'prevention', 'subject', 'stream', 'export'])
  kind?: string;
}

@AuditRoute()
export class AccessEntriesRoute extends AuditRoutes {
  /** Who read which personal record, when, from which request: the access log, itself chained and sealed. */
  @Get('access')
  @Allow(['auditor'])
  @ApiOkResponse({ description: 'reads of personal records, in log order, with a cursor' })
  @ApiProblems(400)
  async access(
    @Query() query: AccessQuery,
    @Ctx() context: RequestContext,
  ): Promise<{ items: (JsonValue & object)[]; nextCursor: string | null }> {
    const params: unknown[] = [ACCESS_EVENT];
    let where = `e.type = $1 and e.stream_id like 'access-%' and e.position > $${params.push(query.cursor ?? '-1')}`;
    if (query.subject) where += ` and e.data->'subjectIds' ? $${params.push(query.subject.toLowerCase())}`;
    if (query.actor) where += ` and e.data->>'actorId' = $${params.push(query.actor)}`;
    if (query.kind) where += ` and e.data->>'kind' = $${params.push(query.kind)}`;
    if (query.from) where += ` and e.recorded_at >= $${params.push(bound(query.from, false))}::timestamptz`;
    if (query.to) where += ` and e.recorded_at <= $${params.push(bound(query.to, true))}::timestamptz`;
    const limit = query.limit ?? 100;
    const rows = await this.db.query<{ position: string; data: string; stream_id: string }>(
      `select e.position::text as position, e.stream_id, e.data::text as data from ${this.log} e where ${where} order by e.position limit ${limit + 1}`,
      params,
    );
    // Entries about records outside the caller's territory are left out (an auditor of one province sees
    // reads of that province's records), unless the answer held a person registered in it: then that
    // person's auditors see who read them, wherever the record was.
    const items: (JsonValue & object)[] = [];
    for (const row of rows.slice(0, limit)) {
      const entry = JSON.parse(row.data) as { kind: string; recordId: string; subjectAreas?: string[] };
      const stream = entry.kind === 'stream' || entry.kind === 'export' ? entry.recordId : `${entry.kind}-${entry.recordId}`;
      const ofTheirs = (entry.subjectAreas ?? []).some((area) => covers(context.actor!, area));
      if (!ofTheirs && !covers(context.actor!, await areaOfStream(this.store, stream))) continue;
      items.push({ position: row.position, ...entry } as JsonValue & object);
    }
    return { items, nextCursor: rows.length > limit ? rows[limit - 1]!.position : null };
  }
}
