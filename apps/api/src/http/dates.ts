import { isCalendarDate } from '@jejak/kernel';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

import { Optional } from './optional';

/**
 * Dates and instants as people write them, checked for being real: a pattern alone lets 2026-02-30,
 * 0000-00-00, 25:00 or an offset of +99:99 through, which JavaScript rolls over into another day and
 * PostgreSQL refuses with an error. Each is answered here with a field error instead.
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|([+-])(\d{2}):(\d{2})))?$/;

/** A real day, or an ISO 8601 instant on a real day at a real time with a real offset (at most ±14:00). */
export function isDateOrInstant(value: unknown): value is string {
  const m = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (!m || !isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`)) return false;
  if (m[4] === undefined) return true;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return false;
  if (m[7] === 'Z') return true;
  const minutes = Number(m[9]) * 60 + Number(m[10]);
  return Number(m[10]) < 60 && minutes <= 14 * 60;
}

export { isCalendarDate };

export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: { validate: isCalendarDate, defaultMessage: buildMessage(() => 'must be a real date like 2026-01-31', options) },
    },
    options,
  );

/**
 * A calendar-date field of a body or a query, in one decorator: documented (format date, its example and
 * meaning), optional or required, and checked for naming a day that exists.
 */
export const DateField = (options: { example?: string; description?: string; optional?: boolean } = {}): PropertyDecorator => {
  const { optional, ...doc } = options;
  return optional
    ? applyDecorators(ApiPropertyOptional({ format: 'date', ...doc }), Optional(), IsCalendarDate())
    : applyDecorators(ApiProperty({ format: 'date', ...doc }), IsCalendarDate());
};

export const IsDateOrInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDateOrInstant',
      validator: {
        validate: isDateOrInstant,
        defaultMessage: buildMessage(() => 'must be a real date like 2026-10-01 or an ISO 8601 instant', options),
      },
    },
    options,
  );

/** An ISO 8601 instant with its time and offset (a bare day is refused: which hour would it be?). */
export const IsInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.includes('T') && /(Z|[+-]\d{2}:\d{2})$/.test(value) && isDateOrInstant(value),
        defaultMessage: buildMessage(() => 'must be an ISO 8601 instant with its offset, like 2026-11-30T09:00:00+07:00', options),
      },
    },
    options,
  );

const MAX_POSITION = 9_223_372_036_854_775_807n;

/** A cursor this API gave out: a position, so a whole number that fits PostgreSQL's bigint. */
export const IsCursor = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCursor',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_POSITION,
        defaultMessage: buildMessage(() => 'must be a cursor this API gave out', options),
      },
    },
    options,
  );

let validationClock: () => Date = () => new Date();

/**
 * The clock request validation reads (decorators have no injector): the application sets the
 * deployment's clock here when it starts.
 */
export function useValidationClock(clock: () => Date): void {
  validationClock = clock;
}

/**
 * A day that has come somewhere on Earth (not after today at UTC+14): a birth date cannot be later. Days in
 * the deployment's own zone are checked where the clock is (the handlers); this bound needs none.
 */
export const NotFuture = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'notFuture',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || value <= new Date(validationClock().getTime() + 14 * 3_600_000).toISOString().slice(0, 10),
        defaultMessage: buildMessage(() => 'must not be in the future', options),
      },
    },
    options,
  );
