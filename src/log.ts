import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The application logger. Log ids, counts, codes and timings only: never names, dates of birth,
 * ID numbers or recognised text (they are personal data).
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { pid: process.pid } });
}
