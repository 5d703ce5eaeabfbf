import { exportBundle, logTable, recordAccess, type SealKey, subjectIdsOfStream, verifyIntegrity, type VerifyResult } from '@jejak/audit';
import type { JejakConfig } from '@jejak/config';
import { collectIfAny, eventMacKey, eventMetadata, type EventStore, type JsonValue, SEAL_STREAM, type SqlClient } from '@jejak/event-store';
import { JejakError, NotFound, type RequestContext } from '@jejak/kernel';
import { programProjections, type ReadModelVerification, verifyReadModel } from '@jejak/read-models';
import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../access/rules';
import { Ctx } from '../http/context';
import { IsCursor, IsDateOrInstant } from '../http/dates';
import { ApiAuthenticated, ApiProblems } from '../http/openapi';
import { CONFIG, EVENT_STORE, SEAL_KEY, SQL_CLIENT } from '../tokens';
import { ACCESS_EVENT, RecordsAccess } from './access-log';
import { IntegrityService } from './integrity.service';
import { areaOfStream, covers, territorySql } from './replay';

class OutOfScope extends JejakError {
  readonly code = 'OUT_OF_SCOPE';
  readonly kind = 'forbidden' as const;
}

class AuditPage {
  @ApiPropertyOptional({ description: 'position to continue after (the nextCursor of the previous page)' })
  @IsOptional()
  @IsCursor()
  cursor?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ example: '2026-10-01', description: 'recorded at or after (a date, or an ISO 8601 instant)' })
  @IsOptional()
  @IsDateOrInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2026-10-31', description: 'recorded before the end of this date (or before this instant)' })
  @IsOptional()
  @IsDateOrInstant()
  to?: string;
}

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

const bound = (text: string, end: boolean): string =>
  text.length === 10 ? (end ? `${text}T23:59:59.999+07:00` : `${text}T00:00:00+07:00`) : text;

export interface AuditEvent {
  readonly position: string;
  /** The event's id: what the events it caused name as their causationId. */
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly metadata: JsonValue;
  readonly data: JsonValue;
  /** The event's link hash (hex): what the chain and the seals cover. */
  readonly hash: string | null;
}

export type VerifyAnswer = VerifyResult & {
  readonly key: { readonly fingerprint: string; readonly publicKey: string };
  /** Each read model compared with a fold of the log: the documents that differ are named. */
  readonly readModels: readonly ReadModelVerification[];
};

export class ReadModelsQuery {
  @ApiPropertyOptional({ example: 'cases', description: 'one read model (cases, placements, preventions); all when absent' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,40}$/, { message: 'must be a read model name' })
  name?: string;
}

/**
 * Audit: proof that the log is unaltered. Verification recomputes both chains and every seal from the
 * stored events; it names the first broken link (never any event content) or how far the log is intact
 * and sealed. It covers the whole log, so any auditor may run it whatever their scope.
 */
@ApiTags('audit')
@ApiAuthenticated()
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SEAL_KEY) private readonly key: SealKey,
    @Inject(CONFIG) private readonly config: JejakConfig,
    private readonly integrity: IntegrityService,
  ) {}

  /** Every read model (or one) compared with a fold of the log, from one snapshot of each. */
  private async readModels(name?: string): Promise<ReadModelVerification[]> {
    const projections = programProjections({ deadlines: this.config.cases.deadlines, timeZone: this.config.timeZone }).filter(
      (p) => name === undefined || p.name === name,
    );
    if (projections.length === 0) throw new NotFound('READ_MODEL_NOT_FOUND', `No read model named ${name}`);
    const results: ReadModelVerification[] = [];
    for (const projection of projections) results.push(await verifyReadModel(this.store, this.db, projection));
    return results;
  }

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

  /** The table cross-stream searches read: the SQL store's, or the audit copy of a KurrentDB log. */
  private get log(): 'jejak_events' | 'jejak_log_mirror' {
    return logTable(this.store);
  }

  /** A stream's events as stored, with link hashes: from the SQL store's table, or from KurrentDB itself. */
  private async storedStream(streamId: string): Promise<AuditEvent[]> {
    if (this.log === 'jejak_events')
      return (await this.db.query<Row>(`${SELECT} where e.stream_id = $1 order by e.revision`, [streamId])).map(toAuditEvent);
    const events = await collectIfAny(this.store.readStream(streamId));
    return events.map((e) => ({
      position: e.position.toString(),
      id: e.id,
      streamId: e.streamId,
      revision: Number(e.revision),
      type: e.type,
      recordedAt: e.recordedAt.toISOString(),
      metadata: e.metadata as JsonValue,
      data: e.data,
      hash: e.linkHash?.toString('hex') ?? null,
    }));
  }

  /** Every event of a stream as stored (sealed values stay sealed), with actors, correlation and causation ids and link hashes. */
  @Get('streams/:stream')
  // Raw streams and cross-stream queries: auditors; the territory is checked against each stream's area.
  @Allow(['auditor'])
  @RecordsAccess('stream')
  @ApiOkResponse({
    description:
      'the stream as stored, in revision order: metadata (actor, role, correlation and causation ids, occurredAt) and link hash per event',
  })
  @ApiProblems(403, 404)
  async stream(
    @Param('stream') streamId: string,
    @Ctx() context: RequestContext,
  ): Promise<{ streamId: string; area: string | null; items: AuditEvent[] }> {
    if (!/^[a-z][a-z0-9-]{0,199}$/.test(streamId)) throw new NotFound('STREAM_NOT_FOUND', 'No such stream');
    const area = await areaOfStream(this.store, streamId);
    const items = await this.storedStream(streamId);
    if (items.length === 0) throw new NotFound('STREAM_NOT_FOUND', 'No such stream');
    if (!covers(context.actor!, area)) throw new OutOfScope('The stream belongs to an area outside your territorial scope');
    return { streamId, area, items };
  }

  /**
   * A signed case file of one stream, to take away: its events as stored, their links and the seals over
   * them, which `npm run cli -- audit verify-bundle` checks with no database. What is chained is sealed
   * first (when this process runs the sealer), so the whole stream is covered. The download is a read of
   * every person the stream names, and is logged as one (kind `export`).
   */
  @Get('streams/:stream/case-file')
  // A case file to take away: the territory is checked against the stream's area, the download logged.
  @Allow(['auditor'])
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'the case file (JSON), as an attachment named after the stream' })
  @ApiProblems(403, 404)
  async caseFile(@Param('stream') streamId: string, @Ctx() context: RequestContext, @Res() response: Response): Promise<void> {
    if (!/^[a-z][a-z0-9-]{0,199}$/.test(streamId)) throw new NotFound('STREAM_NOT_FOUND', 'No such stream');
    const area = await areaOfStream(this.store, streamId);
    if ((await this.storedStream(streamId)).length === 0) throw new NotFound('STREAM_NOT_FOUND', 'No such stream');
    if (!covers(context.actor!, area)) throw new OutOfScope('The stream belongs to an area outside your territorial scope');
    await this.integrity.sealNow();
    const bundle = await exportBundle(this.store, this.db, streamId, this.key);
    await recordAccess(
      this.store,
      {
        actorId: context.actor!.id,
        role: context.actor!.role,
        kind: 'export',
        recordId: streamId,
        route: 'GET /audit/streams/:stream/case-file',
        correlationId: context.correlationId,
        at: context.now,
      },
      await subjectIdsOfStream(this.store, streamId),
      eventMetadata(context),
    );
    response.status(200).type('application/json');
    response.setHeader('Content-Disposition', `attachment; filename="case-file-${streamId}.json"`);
    response.send(bundle.text);
  }

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

  /** The seals, oldest first, for anchoring outside the system (a notary, a newspaper, another database). */
  @Get('seals')
  @Allow(['auditor'])
  @ApiOkResponse({ description: 'every seal: position, global hash, Ed25519 signature, public key, time; and the key fingerprint' })
  async seals(): Promise<{ fingerprint: string; items: JsonValue[] }> {
    const seals = await collectIfAny(this.store.readStream(SEAL_STREAM));
    return {
      fingerprint: this.key.fingerprint,
      items: seals.map((e) => ({ ...(e.data as object), recordedAt: e.recordedAt.toISOString() }) as JsonValue),
    };
  }

  @Get('verify')
  // The whole log's integrity: no event content in the answer, so any auditor.
  @Allow(['auditor'])
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiOkResponse({
    description:
      'intact, or the first broken link (kind: modified, removed, inserted, reordered, bad_signature; position, stream, revision), and each read model compared with the log (readModels); with Accept: application/x-ndjson, progress lines first, the result last',
  })
  async verify(@Headers('accept') accept: string | undefined, @Res() response: Response): Promise<void> {
    const key = { fingerprint: this.key.fingerprint, publicKey: this.key.publicKeyBase64 };
    if (accept?.includes('application/x-ndjson')) {
      response.status(200).type('application/x-ndjson');
      let last = 0;
      const result = await verifyIntegrity(
        this.store,
        this.db,
        this.key.publicKey,
        (p) => {
          if (Date.now() - last < 500) return;
          last = Date.now();
          response.write(`${JSON.stringify({ progress: p })}\n`);
        },
        eventMacKey(this.config.masterKey),
      );
      const readModels = await this.readModels();
      response.end(`${JSON.stringify({ result: { ...result, key, readModels } })}\n`);
      return;
    }
    const result = await verifyIntegrity(this.store, this.db, this.key.publicKey, undefined, eventMacKey(this.config.masterKey));
    response.status(200).json({ ...result, key, readModels: await this.readModels() } satisfies VerifyAnswer);
  }
}

type Row = {
  position: string;
  id: string;
  stream_id: string;
  revision: string;
  type: string;
  recorded_at: Date | string;
  metadata: string;
  data: string;
  hash: Buffer | Uint8Array | null;
};

const SELECT = `select e.position::text as position, e.id::text as id, e.stream_id, e.revision::text as revision, e.type, e.recorded_at, e.metadata::text as metadata, e.data::text as data, e.hash from jejak_events e`;

function toAuditEvent(row: Row): AuditEvent {
  return {
    position: row.position,
    id: row.id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    type: row.type,
    recordedAt: (row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at)).toISOString(),
    metadata: JSON.parse(row.metadata) as JsonValue,
    data: JSON.parse(row.data) as JsonValue,
    hash: row.hash ? Buffer.from(row.hash).toString('hex') : null,
  };
}
