import type { Logger, LogLevel } from '@krakenkit/plugin-api';
import { pino } from 'pino';

/**
 * Field paths whose values never reach a log line. This is the second layer: secrets are
 * held in `Secret` objects that already print `[REDACTED]`; these paths catch raw strings.
 */
export const redactedLogPaths: readonly string[] = [
  'secret',
  'apiSecret',
  'privateKey',
  'token',
  'signature',
  'otp',
  'password',
  'authorization',
  '*.secret',
  '*.apiSecret',
  '*.privateKey',
  '*.token',
  '*.signature',
  '*.otp',
  '*.password',
  '*.authorization',
  'params.token',
  '*.params.token',
  'frame.params.token',
  'headers["api-sign"]',
  'headers["API-Sign"]',
  'headers["api-key"]',
  'headers["API-Key"]',
  '*.headers["api-sign"]',
  '*.headers["API-Sign"]',
  '*.headers["api-key"]',
  '*.headers["API-Key"]',
];

export interface CreateLoggerOptions {
  /** Default `'info'`. */
  level?: LogLevel;
  /** Where lines go; default stdout. Anything with `write(line: string)`. */
  destination?: { write(line: string): unknown };
  /** Extra fields on every line. */
  base?: Record<string, unknown>;
}

/** A pino logger with krakenkit's redaction rules. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: options.base ?? {},
    redact: { paths: [...redactedLogPaths], censor: '[REDACTED]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
