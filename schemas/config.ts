import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** Cleanup steps that can be switched on and off, in the order they run (greyscale always runs). */
export const CLEAN_STEPS = ['stamps', 'orient', 'deskew', 'crop', 'split', 'leaders', 'signatures', 'rules', 'background', 'normalise', 'binarise'] as const;
export type CleanStep = (typeof CLEAN_STEPS)[number];

/** `CIVREG_CLEAN_STEPS`: the steps to run, comma-separated, or `none`; unset runs the measured defaults. */
const cleanStepsSchema = z
  .string()
  .transform((raw, ctx) => {
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 1 && items[0] === 'none') return [] as CleanStep[];
    const bad = items.filter((s) => !(CLEAN_STEPS as readonly string[]).includes(s));
    if (items.length === 0 || bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `takes a comma-separated list of ${CLEAN_STEPS.join(', ')}, or none (got "${raw}")` });
      return z.NEVER;
    }
    return items as CleanStep[];
  })
  .optional();

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every setting civreg reads from the environment, parsed once at start-up. Stages never read
 * process.env: they get the parsed config through their deps.
 */
export const configSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  /** Root of local state: embedded PostgreSQL cluster (pg/) and blob store (blobs/). */
  CIVREG_DATA_DIR: z.string().min(1).default('.data'),
  /** Folder of the private keys that seal certified extracts (0600 files); default CIVREG_DATA_DIR/keys. */
  CIVREG_SIGNING_KEY_DIR: z.string().min(1).optional(),
  /**
   * The address citizens' papers point to: the QR code and verify link of a certified extract are
   * `<CIVREG_PUBLIC_URL>/verify/<seal>`. An http(s) origin, optionally with a path prefix (no query, no user).
   * Unset: the server's own listen address, which is only right when civreg is reached at it.
   */
  CIVREG_PUBLIC_URL: z
    .string()
    .transform((raw, ctx) => {
      let url: URL | null = null;
      try {
        url = new URL(raw.trim());
      } catch {
        url = null;
      }
      if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash) {
        ctx.addIssue({ code: 'custom', message: `takes an http(s) address such as https://hotich.example.gov.vn, without query or credentials (got "${raw}")` });
        return z.NEVER;
      }
      // Stored without a trailing slash: routes are appended to it.
      return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    })
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  CIVREG_OCR_WORKERS: int(availableParallelism()),
  CIVREG_OCR_MODEL: z.enum(['best_int', 'legacy']).default('best_int'),
  CIVREG_OCR_TIMEOUT_MS: int(120_000),
  CIVREG_OCR_RECYCLE_AFTER: int(200),
  /** Decompression-bomb guard: most pixels one page may decode to. */
  CIVREG_MAX_PAGE_PIXELS: int(120_000_000),
  /** Larger files are refused before being stored; a file is decoded in memory, so keep this within RAM. */
  CIVREG_MAX_UPLOAD_BYTES: int(2 * 1024 ** 3),
  /** An upload from the browser with no new chunk for this many hours is abandoned: its chunks are deleted. */
  CIVREG_UPLOAD_ABANDON_HOURS: z.coerce.number().positive().default(24),
  /** Seconds without a heartbeat before a running job is taken back and retried (min 10). */
  CIVREG_JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).default(30),
  CIVREG_JOB_RETRIES: z.coerce.number().int().min(0).default(3),
  /** First retry delay; later ones back off exponentially up to 10 minutes. */
  CIVREG_JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).default(5),
  /** How often pg-boss looks for expired jobs and dead workers. */
  CIVREG_SUPERVISE_SECONDS: z.coerce.number().int().min(1).default(30),
  /** Share of auto-accepted fields drawn at random for review, to measure the machine's real error rate. */
  CIVREG_AUDIT_RATE: z.coerce.number().min(0).max(1).default(0.02),
  /**
   * Read unsure values on forms a second time (src/extract/second-reading.ts): `typed` only on pages whose values
   * were typed on a typewriter (told by their fixed pitch, src/extract/typewriter.ts); `on` on every form, hand-filled
   * ones too, where both readings agree on wrong values (seed 2854's hand-filled form books: 13 wrong of 152 values
   * it accepted); `off` never. `on` and `off` are for ablations. `typed_tables` (the default): as `typed`, and typed values of ruled
   * tables (1961–1998) too, with the page checks of src/extract/cell-checks.ts (none wrong of 1,404 accepted on fresh
   * seed 3113, BENCHMARKS.md "Typed ruled tables: holding extraction errors").
   */
  CIVREG_SECOND_READING: z.enum(['typed', 'typed_tables', 'on', 'off']).default('typed_tables'),
  /** Cleanup steps to run, e.g. for an ablation (`orient,deskew,crop`); unset: the defaults of src/imaging/clean.ts. */
  CIVREG_CLEAN_STEPS: cleanStepsSchema,
  /**
   * Behind a TLS-terminating reverse proxy: which `X-Forwarded-*` headers to believe, so cookies are Secure
   * and sign-in limits count the person's address, not the proxy's. `true` (any proxy: only when civreg is not
   * reachable directly), a number of proxy hops, or the proxies' addresses/CIDRs comma-separated. Unset: none.
   */
  CIVREG_TRUST_PROXY: z
    .string()
    .transform((raw, ctx): boolean | number | string[] => {
      const text = raw.trim();
      if (text === 'true' || text === 'false') return text === 'true';
      if (/^\d+$/.test(text)) return Number(text);
      const list = text.split(',').map((s) => s.trim()).filter(Boolean);
      if (list.length === 0 || list.some((s) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(s))) {
        ctx.addIssue({ code: 'custom', message: `takes true, false, a number of proxy hops, or comma-separated proxy addresses/CIDRs (got "${raw}")` });
        return z.NEVER;
      }
      return list;
    })
    .default(false),
  CIVREG_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** Parses the environment; on failure throws one error that lists every bad key. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const known = Object.fromEntries(Object.keys(configSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const result = configSchema.safeParse(known);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
