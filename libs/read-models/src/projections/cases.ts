/**
 * The case list: one document per case with what lists, worklists and indicators filter on. Built with
 * the case's own domain `evolve`, so the list can never disagree with the case about its state; sealed
 * text is left out (the list shows no free text).
 */
import {
  caseDecider,
  type CaseEvent,
  type CaseState,
  type CaseStatus,
  type DeadlinePolicy,
  deadlinesAt,
  DEFAULT_DEADLINES,
  pendingDeadlines,
} from '@jejak/accompaniment';
import type { JsonValue, RecordedEvent } from '@jejak/event-store';

import { localDayIn } from '../local-day';
import type { ProgramFact } from '../metrics';
import type { DocumentProjection } from '../projection';
import { subjectIds } from '../projection';

export interface CaseSummary {
  readonly id: string;
  readonly status: string;
  readonly areaCode: string;
  readonly channel: string;
  /**
   * The categories in clear and, for each health or trafficking category, its keyed token (the API names
   * them for readers in scope); what the list filters and the figures count on.
   */
  readonly categories: readonly string[];
  /** The worker's sex as a keyed token, null when not given: counted in the figures, never listed. */
  readonly sexToken: string | null;
  readonly urgency: string | null;
  readonly procedural: string | null;
  /** Null when the complainant did not know it. */
  readonly destinationCountry: string | null;
  readonly assignedTo: string | null;
  readonly openedAt: string;
  readonly firstActionAt: string | null;
  readonly firstActionDue: string;
  readonly resolutionDue: string;
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
  readonly outcome: string | null;
  readonly amountRecovered: number | null;
  readonly reopenings: number;
  /** Every resolution and closure recorded (instants), reopened or not: what the monthly figures count. */
  readonly resolutions: readonly string[];
  readonly closures: readonly string[];
  /** The stream's revision the document reflects: GET /cases/:id serves it when it is the stream's last. */
  readonly revision: string;
  /** The folded state (sealed values stay sealed): what the next event evolves and GET /cases/:id shows. */
  readonly state: JsonValue;
}

const withoutSealed = (state: CaseState): CaseState => {
  const { sealed: _sealed, resolution, ...rest } = state;
  return { ...rest, sealed: {}, ...(resolution ? { resolution: { ...resolution, sealed: {} } } : {}) } as CaseState;
};

/** Whole days from opening to resolution (rounded): the unit the median is taken over. */
export const resolutionDays = (openedAt: string, resolvedAt: string): string =>
  String(Math.round((Date.parse(resolvedAt) - Date.parse(openedAt)) / 86_400_000));

/**
 * The earliest deadline that would make the case overdue while it stays as it is (the domain's one
 * definition, pendingDeadlines). Null when none is pending.
 */
export function pendingDue(
  summary: Pick<CaseSummary, 'firstActionAt' | 'firstActionDue' | 'resolvedAt' | 'status' | 'resolutionDue'>,
): string | null {
  return pendingDeadlines(summary).sort()[0] ?? null;
}

/** A case the worklist still shows: not closed. Typed against the domain's statuses. */
const CASE_DONE: CaseStatus = 'closed';

/**
 * The worklist's filter and order over the case list, in SQL. The index below carries the same text as its
 * predicate and key, so the planner can read an area's open cases in the order they fall due and stop at a
 * page, however many cases are open or closed.
 */
export const CASE_OPEN_SQL = `status <> '${CASE_DONE}'`;
/** What falls due next in the worklist's order: the first action until it is taken, then the resolution. */
export const CASE_WORK_DUE_SQL = `(case when first_action_at is null then first_action_due else resolution_due end)`;

/** Statuses with no deadline pending: typed against the domain's, written into the SQL below as literals of code. */
const FINISHED: readonly CaseStatus[] = ['closed', 'resolved'];

/**
 * The same definition over the case list's columns, for SQL: overdue at the instant `at` (a parameter).
 * Written out per deadline rather than as `pending_due < at`, so that each branch can use its own index.
 */
export function overdueSql(at: string): string {
  const finished = FINISHED.map((status) => `'${status}'`).join(', ');
  return `(resolved_at is null and status not in (${finished}) and ((first_action_at is null and first_action_due < ${at}::timestamptz) or resolution_due < ${at}::timestamptz))`;
}

export function casesProjection(
  deadlines: DeadlinePolicy = DEFAULT_DEADLINES,
  localDay: (iso: string) => string = localDayIn('Asia/Jakarta'),
  timeZone = 'Asia/Jakarta',
): DocumentProjection<CaseSummary & JsonValue> {
  return {
    name: 'cases',
    version: 11,
    settings: JSON.stringify({ deadlines, timeZone }),
    filter: { streamPrefixes: ['case-'] },
    keyOf: (event: RecordedEvent) => event.streamId.slice('case-'.length),
    // Only the folded state between events; the summary is derived once per batch in finish().
    evolve: (document, event) => {
      const previous = (document?.state as unknown as CaseState | undefined) ?? caseDecider.initialState;
      const state = caseDecider.evolve(previous, { type: event.type, data: event.data } as CaseEvent);
      if (state.status === 'none') return null;
      // Every resolution and closure that happened, kept though a reopening or a rejected closure clears
      // them from the state: a month's figures count what happened in it, so a finished month never changes.
      const before = document as unknown as { resolutions?: string[]; closures?: string[] } | null;
      const resolutions = [
        ...(before?.resolutions ?? []),
        ...(event.type === 'CaseResolved' ? [(event.data as { resolvedAt: string }).resolvedAt] : []),
      ];
      const closures = [
        ...(before?.closures ?? []),
        ...(event.type === 'CaseClosed' ? [(event.data as { closedAt: string }).closedAt] : []),
      ];
      return { state, revision: event.revision.toString(), resolutions, closures } as unknown as CaseSummary & JsonValue;
    },
    finish: (document) => {
      const state = withoutSealed(document.state as unknown as CaseState);
      const due = deadlinesAt(state, new Date(0), deadlines)!;
      const summary: CaseSummary = {
        id: state.caseId!,
        status: state.status,
        areaCode: state.areaCode!,
        channel: state.channel!,
        categories: [...state.categories, ...(state.categoryTokens ?? [])],
        sexToken: state.sexToken ?? null,
        urgency: state.urgency ?? null,
        procedural: state.procedural ?? null,
        destinationCountry: state.destinationCountry ?? null,
        assignedTo: state.assignedTo ?? null,
        openedAt: state.openedAt!,
        firstActionAt: state.firstActionAt ?? null,
        firstActionDue: due.firstAction.due,
        resolutionDue: due.resolution.due,
        resolvedAt: state.resolution?.resolvedAt ?? null,
        closedAt: state.closedAt ?? null,
        outcome: state.resolution?.outcome ?? null,
        // Sealed amounts (money tied to a person) stay out of the list: shown on the record to readers in scope.
        amountRecovered: typeof state.resolution?.amountRecovered === 'number' ? state.resolution.amountRecovered : null,
        reopenings: state.reopenings,
        resolutions: document.resolutions ?? [],
        closures: document.closures ?? [],
        revision: document.revision,
        state: document.state,
      };
      return summary as CaseSummary & JsonValue;
    },
    facts: (d) => {
      const area = d.areaCode;
      const opened = localDay(d.openedAt);
      const facts: ProgramFact[] = [
        { area, day: opened, metric: 'cases.opened' },
        ...d.categories.map((key) => ({ area, day: opened, metric: 'cases.category' as const, key })),
        { area, day: opened, metric: 'cases.destination', key: d.destinationCountry ?? 'unknown' },
        { area, day: opened, metric: 'cases.channel', key: d.channel },
        { area, day: opened, metric: 'cases.sex', key: d.sexToken ?? 'unknown' },
        { area, day: opened, metric: 'cases.procedural', key: d.procedural ?? 'unverified' },
      ];
      const due = pendingDue(d);
      // By the UTC month the deadline falls in: reports count the months before this one from here, and
      // this month's deadlines from the pending_due column, to the minute.
      if (due !== null) facts.push({ area, day: opened, metric: 'cases.pending_due', key: due.slice(0, 7) });
      // Each resolution and closure in the month it happened, whatever became of the case since.
      for (const resolvedAt of d.resolutions) {
        const day = localDay(resolvedAt);
        facts.push(
          { area, day, metric: 'cases.resolved' },
          { area, day, metric: 'cases.resolution_days', key: resolutionDays(d.openedAt, resolvedAt) },
        );
      }
      for (const closedAt of d.closures) facts.push({ area, day: localDay(closedAt), metric: 'cases.closed' });
      // Referrals recorded as unanswered, on the day that was recorded.
      const state = d.state as unknown as CaseState;
      for (const a of Object.values(state.actions ?? {})) {
        if (a.status === 'no_response' && a.closedAt) facts.push({ area, day: localDay(a.closedAt), metric: 'cases.referrals_unanswered' });
      }
      return facts;
    },
    columns: {
      status: { type: 'text', of: (d) => d.status },
      area: { type: 'text', of: (d) => d.areaCode },
      categories: { type: 'text[]', of: (d) => d.categories },
      urgency: { type: 'text', of: (d) => d.urgency },
      assigned_to: { type: 'text', of: (d) => d.assignedTo },
      opened_at: { type: 'timestamptz', of: (d) => d.openedAt },
      first_action_at: { type: 'timestamptz', of: (d) => d.firstActionAt },
      first_action_due: { type: 'timestamptz', of: (d) => d.firstActionDue },
      resolution_due: { type: 'timestamptz', of: (d) => d.resolutionDue },
      resolved_at: { type: 'timestamptz', of: (d) => d.resolvedAt },
      pending_due: { type: 'timestamptz', of: (d) => pendingDue(d) },
      // The people the case names (worker, complainant): a person's page lists their cases by it.
      subjects: {
        type: 'text[]',
        of: (d) => subjectIds((d.state as unknown as CaseState).workerSubjectId, (d.state as unknown as CaseState).complainantSubjectId),
      },
    },
    indexes: {
      // A village's cases, newest first: an officer's list reads 50 entries and stops.
      area_opened: '(area, opened_at desc, id desc)',
      // Every case newest first, with what the list filters on: a supervisor's filtered list checks the
      // filters in the index alone and reads only the documents of the page it returns.
      opened_covering:
        '(opened_at desc, id desc) include (area, status, urgency, assigned_to, first_action_at, first_action_due, resolved_at, resolution_due)',
      // The worklist: a village's open cases by what falls due first, and (for a region) all open cases so.
      work_area_due: `(area, ${CASE_WORK_DUE_SQL}, id) where ${CASE_OPEN_SQL}`,
      work_due: `(${CASE_WORK_DUE_SQL}, id) include (area) where ${CASE_OPEN_SQL}`,
    },
  };
}
