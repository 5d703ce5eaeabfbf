import { ValidateIf } from 'class-validator';

/**
 * An optional field of a request body: it may be absent, but when it is sent it is checked, `null`
 * included. class-validator's own IsOptional lets `null` through unchecked, which handlers would then seal
 * or store as if it were a value.
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object: unknown, value: unknown) => value !== undefined);
