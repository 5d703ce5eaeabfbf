import { collect, eventMetadata, type EventStore, execute, type RecordedEvent } from '@jejak/event-store';
import { occurredAt, type RequestContext } from '@jejak/kernel';
import { type PersonalDataVault, subjectDecider, subjectStream } from '@jejak/personal-data';
import { Get, Inject, Param, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_SUBJECT } from '../../access/rules';
import { ACCESS_EVENT, RecordsAccess } from '../../audit/access-log';
import { Clock } from '../../http/clock';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE, VAULT } from '../../tokens';
import { load, Processing, type RecordKind, recordsOf, subjectNotFound, SubjectView, view } from '../subjects.handlers';
import { SubjectRoutes, SubjectsRoute, UUID } from '../subjects.routes';

export interface AccessReport {
  readonly subject: SubjectView;
  /** Every processing of the person's own record. */
  readonly processing: readonly Processing[];
  /**
   * Every record (case, placement, prevention) that processes the person's data, with the part they play in
   * it and every step taken on it (who, when; no content).
   */
  readonly records: readonly {
    kind: RecordKind;
    id: string;
    areaCode: string | null;
    roles: string[];
    processing: Processing[];
  }[];
  /** Who viewed their data: every read that held it, from the access log. */
  readonly viewedBy: readonly { actorId: string; role: string; kind: string; recordId: string; route: string; at: string }[];
  readonly generatedAt: string;
}

/** The data-subject access report; providing it is itself recorded, as the law asks. */
export class ProvideAccessReport extends Command<AccessReport> {
  constructor(
    readonly subjectId: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(ProvideAccessReport)
export class ProvideAccessReportHandler implements ICommandHandler<ProvideAccessReport> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  async execute({ subjectId, context }: ProvideAccessReport): Promise<AccessReport> {
    await execute(
      this.store,
      subjectStream(subjectId),
      subjectDecider,
      { type: 'RecordAccessReport', ...this.clock.envelope(context) },
      { metadata: eventMetadata(context), notFound: subjectNotFound },
    );
    const { state } = await load(this.store, subjectId);
    const events = await collect(this.store.readStream(subjectStream(subjectId)));
    const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    const processing = (list: readonly RecordedEvent[]): Processing[] =>
      list.map((e) => ({
        type: e.type,
        revision: Number(e.revision),
        recordedAt: e.recordedAt.toISOString(),
        actorId: text(e.metadata.actorId),
        role: text(e.metadata.role),
        correlationId: text(e.metadata.correlationId),
      }));
    const records: AccessReport['records'][number][] = [];
    for (const record of await recordsOf(this.store, subjectId)) {
      records.push({ ...record, processing: processing(await collect(this.store.readStream(`${record.kind}-${record.id}`))) });
    }
    const viewedBy: AccessReport['viewedBy'][number][] = [];
    for await (const read of this.store.readAll({ filter: { streamPrefixes: ['access-'], eventTypes: [ACCESS_EVENT] } })) {
      const entry = read.data as {
        subjectIds?: string[];
        actorId: string;
        role: string;
        kind: string;
        recordId: string;
        route: string;
        at: string;
      };
      if (entry.subjectIds?.includes(subjectId))
        viewedBy.push({
          actorId: entry.actorId,
          role: entry.role,
          kind: entry.kind,
          recordId: entry.recordId,
          route: entry.route,
          at: entry.at,
        });
    }
    return {
      subject: await view(this.vault, subjectId, state),
      processing: processing(events),
      records,
      viewedBy,
      generatedAt: occurredAt(context).toISOString(),
    };
  }
}

@SubjectsRoute()
export class AccessReportRoute extends SubjectRoutes {
  @Get(':id/report')
  @Allow(['admin'], IN_SUBJECT)
  @RecordsAccess('subject')
  @ApiOkResponse({
    description:
      "Data-subject access report: the personal data held and every processing of it; ETag (the subject record's revision once the report is recorded), for If-Match on the requests that follow",
  })
  @ApiProblems(400, 404)
  async report(
    @Param('id', UUID) id: string,
    @Ctx() context: RequestContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AccessReport> {
    const report: AccessReport = await this.commands.execute(new ProvideAccessReport(id, context));
    const last = report.processing.at(-1);
    if (last) response.setHeader('ETag', `"${last.revision}"`);
    return report;
  }
}
