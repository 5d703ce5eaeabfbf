/**
 * Deadlines per urgency, computed from the case's events and an instant: nothing is stored, so the state
 * as of any past instant shows what was due and overdue then.
 */
import type { CaseState, Urgency } from './case';

export interface DeadlineTargets {
  /** Hours from intake to the first action. */
  readonly firstActionHours: number;
  /** Days from intake to resolution. */
  readonly resolutionDays: number;
}

export type DeadlinePolicy = Readonly<Record<Urgency, DeadlineTargets>>;

/** Defaults: a critical case (trafficking, death, violence) needs action within a day. */
export const DEFAULT_DEADLINES: DeadlinePolicy = {
  critical: { firstActionHours: 24, resolutionDays: 14 },
  high: { firstActionHours: 72, resolutionDays: 30 },
  normal: { firstActionHours: 168, resolutionDays: 90 },
  low: { firstActionHours: 336, resolutionDays: 180 },
};

export interface Deadline {
  readonly due: string;
  readonly doneAt: string | null;
  readonly overdue: boolean;
}

export interface CaseDeadlines {
  readonly firstAction: Deadline;
  readonly resolution: Deadline;
}

/**
 * What is due and overdue at `now`. Before classification the case is treated as normal urgency. Time
 * suspended (complainant unreachable) still counts: the clock measures how long a worker waits.
 */
export function deadlinesAt(state: CaseState, now: Date, policy: DeadlinePolicy = DEFAULT_DEADLINES): CaseDeadlines | null {
  if (!state.openedAt) return null;
  const targets = policy[state.urgency ?? 'normal'];
  const opened = Date.parse(state.openedAt);
  const firstDue = new Date(opened + targets.firstActionHours * 3_600_000).toISOString();
  const resolutionDue = new Date(opened + targets.resolutionDays * 86_400_000).toISOString();
  const resolvedAt = state.resolution?.resolvedAt ?? null;
  const t = now.getTime();
  const pending = pendingDeadlines({
    status: state.status,
    firstActionAt: state.firstActionAt ?? null,
    resolvedAt,
    firstActionDue: firstDue,
    resolutionDue,
  });
  return {
    firstAction: { due: firstDue, doneAt: state.firstActionAt ?? null, overdue: pending.includes(firstDue) && t > Date.parse(firstDue) },
    resolution: { due: resolutionDue, doneAt: resolvedAt, overdue: pending.includes(resolutionDue) && t > Date.parse(resolutionDue) },
  };
}

/**
 * The one definition of "overdue", used by the record, the lists, the worklist and the indicators: a case
 * is overdue when one of its pending deadlines has passed. A deadline is pending while the case is neither
 * resolved nor closed: the first action until one was taken, and the resolution. A resolved or closed case
 * has none, however it got there.
 */
export function pendingDeadlines(c: {
  readonly status: string;
  readonly firstActionAt: string | null;
  readonly resolvedAt: string | null;
  readonly firstActionDue: string;
  readonly resolutionDue: string;
}): string[] {
  if (c.resolvedAt !== null || c.status === 'closed' || c.status === 'resolved') return [];
  return [...(c.firstActionAt === null ? [c.firstActionDue] : []), c.resolutionDue];
}
