import type { VerifyResult } from '@jejak/audit';
import type { JsonValue } from '@jejak/event-store';
import { JejakError } from '@jejak/kernel';
import type { ReadModelVerification } from '@jejak/read-models';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { IsCursor, IsDateOrInstant } from '../http/dates';

export class OutOfScope extends JejakError {
  readonly code = 'OUT_OF_SCOPE';
  readonly kind = 'forbidden' as const;
}

export class AuditPage {
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

export const bound = (text: string, end: boolean): string =>
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

export type Row = {
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

export const SELECT = `select e.position::text as position, e.id::text as id, e.stream_id, e.revision::text as revision, e.type, e.recorded_at, e.metadata::text as metadata, e.data::text as data, e.hash from jejak_events e`;

export function toAuditEvent(row: Row): AuditEvent {
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
