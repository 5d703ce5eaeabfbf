import { type EventStore, foldStream } from '@jejak/event-store';
import { JejakError } from '@jejak/kernel';
import { consentStands, type Purpose, subjectDecider, subjectStream } from '@jejak/personal-data';

export class ConsentWithdrawn extends JejakError {
  readonly code = 'CONSENT_WITHDRAWN';
  readonly kind = 'conflict' as const;
}

/**
 * Refuses new processing of a person's data for a purpose they withdrew consent for (Law 27/2022), judged
 * by when the processing happens (now, not a backdated occurredAt): only
 * the steps that end the record (`ending`) remain. The record's history is kept, as the law allows for
 * what was processed before.
 */
export async function requireConsent(
  store: EventStore,
  subjectId: string | null | undefined,
  purpose: Purpose,
  at: Date,
  ending: boolean,
): Promise<void> {
  if (!subjectId || ending) return;
  const { state } = await foldStream(store, subjectStream(subjectId), subjectDecider.evolve, subjectDecider.initialState);
  if (!consentStands(state, purpose, at)) {
    throw new ConsentWithdrawn(`The person withdrew consent for ${purpose.replace(/_/g, ' ')}: only closing the record remains`);
  }
}
