import { StreamNotFound } from './errors';
import type { RecordedEvent } from './types';

/** Gathers a (finite) async iterable, such as a stream read, into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A stream read gathered into an array, empty (rather than StreamNotFound) when the stream has no events. */
export async function collectIfAny(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  try {
    return await collect(events);
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}
