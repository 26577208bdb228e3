import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The application logger. Log ids, counts, codes and timings only: never names, dates of birth,
 * ID numbers or recognised text (they are personal data). Written to stderr.
 */
export function createLogger(level: string): Logger {
  // to stderr: stdout carries what a command prints (`civreg eval --json` is read by other tools)
  return pino({ level, base: { pid: process.pid } }, pino.destination(2));
}
