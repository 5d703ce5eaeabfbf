/**
 * Structured logs for every Jejak process (API, projector, CLI): pino, one JSON object per line on stdout,
 * pretty only when a terminal asks for it. What goes in is decided by the callers, field by field: never
 * a personal value, a token or a request body. As a second line of defence the logger censors the fields
 * that would carry them if someone logged a whole request or payload by mistake.
 */
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly LevelWithSilent[];
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `json` always; `pretty` always; `auto`: pretty when stdout is a terminal, JSON otherwise (a file, a pipe, a collector). */
export type LogFormat = 'json' | 'pretty' | 'auto';

export interface LogOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
}

/** Where lines go instead of stdout (tests capture them this way): one JSON line per call. */
export interface LogSink {
  write(line: string): void;
}

/** Field paths censored whatever a caller passes: headers, bodies, tokens, secrets, personal payloads. */
const CENSORED = [
  'req',
  'res',
  'body',
  'headers',
  'authorization',
  'token',
  'password',
  'data',
  'payload',
  '*.body',
  '*.headers',
  '*.authorization',
  '*.token',
  '*.password',
  '*.data',
  '*.payload',
];

/** A process's logger: `service` names the process (api, projector, cli) on every line. */
export function createLogger(options: LogOptions, service: string, sink?: LogSink): Logger {
  const settings = {
    level: options.level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: CENSORED, censor: '[censored]' },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (sink) return pino(settings, sink as DestinationStream);
  const prettyOutput = options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY === true);
  if (prettyOutput) return pino(settings, pretty({ sync: true, colorize: true, translateTime: 'SYS:standard', ignore: 'pid,service' }));
  return pino(settings, pino.destination({ dest: 1, sync: true }));
}

export { type ComponentState, StateLog } from './state-log';
