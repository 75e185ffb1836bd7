import type { Logger, LogLevel } from '@krakenkit/plugin-api';
import { createLogger } from '../host-logger.js';

export interface CapturingLogger {
  logger: Logger;
  /** Every serialized line, exactly as pino wrote it (after redaction). */
  readonly lines: string[];
  /** The lines parsed as objects. */
  entries(): Record<string, unknown>[];
}

/** A real pino logger (same redaction as production) that writes into memory. */
export function createCapturingLogger(options: { level?: LogLevel } = {}): CapturingLogger {
  const lines: string[] = [];
  const logger = createLogger({
    level: options.level ?? 'trace',
    destination: { write: (line: string) => lines.push(line) },
  });
  return {
    logger,
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
