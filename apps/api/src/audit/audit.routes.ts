import { logTable, type SealKey } from '@jejak/audit';
import type { JejakConfig } from '@jejak/config';
import { collectIfAny, type EventStore, type JsonValue, type SqlClient } from '@jejak/event-store';
import { NotFound } from '@jejak/kernel';
import type { JejakMetrics } from '@jejak/metrics';
import { programProjections, type ReadModelVerification, verifyReadModel } from '@jejak/read-models';
import { applyDecorators, Controller, Inject, Injectable } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { ApiAuthenticated } from '../http/openapi';
import { CONFIG, EVENT_STORE, METRICS, SEAL_KEY, SQL_CLIENT } from '../tokens';
import { AuditEvent, Row, SELECT, toAuditEvent } from './audit.dto';
import { IntegrityService } from './integrity.service';

/** The class decorators every route of this context carries. */
export const AuditRoute = (): ClassDecorator => applyDecorators(ApiTags('audit'), ApiAuthenticated(), Controller('audit'));

/**
 * Audit: proof that the log is unaltered. Verification recomputes both chains and every seal from the
 * stored events; it names the first broken link (never any event content) or how far the log is intact
 * and sealed. It covers the whole log, so any auditor may run it whatever their scope.
 */
@Injectable()
export abstract class AuditRoutes {
  constructor(
    @Inject(SQL_CLIENT) protected readonly db: SqlClient,
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(SEAL_KEY) protected readonly key: SealKey,
    @Inject(CONFIG) protected readonly config: JejakConfig,
    protected readonly integrity: IntegrityService,
    @Inject(METRICS) protected readonly metrics: JejakMetrics,
  ) {}

  /** Every read model (or one) compared with a fold of the log, from one snapshot of each. */
  protected async readModels(name?: string): Promise<ReadModelVerification[]> {
    const projections = programProjections({ deadlines: this.config.cases.deadlines, timeZone: this.config.timeZone }).filter(
      (p) => name === undefined || p.name === name,
    );
    if (projections.length === 0) throw new NotFound('READ_MODEL_NOT_FOUND', `No read model named ${name}`);
    const results: ReadModelVerification[] = [];
    for (const projection of projections) results.push(await verifyReadModel(this.store, this.db, projection));
    return results;
  }

  /** The table cross-stream searches read: the SQL store's, or the audit copy of a KurrentDB log. */
  protected get log(): 'jejak_events' | 'jejak_log_mirror' {
    return logTable(this.store);
  }

  /** A stream's events as stored, with link hashes: from the SQL store's table, or from KurrentDB itself. */
  protected async storedStream(streamId: string): Promise<AuditEvent[]> {
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
}
