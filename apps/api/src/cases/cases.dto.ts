import { ACTION_KINDS, type ActionKind } from '@jejak/accompaniment';
import { IsInt, Max, Min } from 'class-validator';
/** Whole rupiah: no fractions, no negative amounts, bounded well below 2^53. */
export const RUPIAH = [IsInt({ message: 'must be a whole number of rupiah' }), Min(0), Max(1_000_000_000_000_000)];
export const Rupiah = (): PropertyDecorator => (target, key) => RUPIAH.forEach((d) => d(target, key));

export const STARTABLE = ACTION_KINDS.filter((k) => k !== 'referral') as Exclude<ActionKind, 'referral'>[];

export { EmptyDto, ReasonDto } from '../http/common.dto';
