import { ValidationFailed } from '../http/problem';

export function minPosition(header: string | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  if (!/^\d{1,19}$/.test(header))
    throw new ValidationFailed([{ field: 'X-Min-Position', message: 'must be a position a command returned' }]);
  return BigInt(header);
}
