/** Half of a UTF-16 surrogate pair standing alone: not text (jsonb refuses it, UTF-8 cannot spell it). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string is text that survives UTF-8 unchanged (String.prototype.isWellFormed, before ES2024). */
export const isWellFormedText = (value: string): boolean => !LONE_SURROGATE.test(value);
