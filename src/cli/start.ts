import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import { eraSchema, registerTypeSchema } from '../../schemas/jobs.ts';
import { countBooks } from '../db/books.ts';
import { createFirstAdmin } from '../auth/accounts.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import { buildServer } from '../http/server.ts';
import { signingKeyDir } from '../certified/signing.ts';
import { officesWithoutIssuer } from '../certified/issuer.ts';
import { expandInputs, receiveFiles } from '../ingest/receive.ts';
import { scheduleTransferSweep } from '../ingest/transfer.ts';
import { createLogger } from '../log.ts';
import { startStageWorkers } from '../pipeline/workers.ts';
import { openServices, type Services } from '../services.ts';
import { pipelineWorkers } from '../../workers/index.ts';
import { CliError } from './errors.ts';
import { createProgress } from './progress.ts';
import { waitUntilSettled } from '../pipeline/settle.ts';
import { printSummary } from './summary.ts';
import { prewarmLookupData } from '../api/prewarm.ts';

const SAMPLES_DIR = fileURLToPath(new URL('../../samples/', import.meta.url));

/**
 * `start`: everything in one process (embedded database, workers, web server), and the bundled
 * samples on first run. `work`: workers only, for extra machines. `serve`: web server only.
 */
export async function runStart(mode: 'start' | 'work' | 'serve', config: Config): Promise<number> {
  const log = createLogger(config.CIVREG_LOG_LEVEL);
  const started = Date.now();
  const withWorkers = mode !== 'serve';
  const services = await openServices(config, log, { ocr: withWorkers });
  let closing = false;
  const uploadDir = join(resolve(config.CIVREG_DATA_DIR), 'incoming');
  const app = mode === 'work' ? null : buildServer({ db: services.db, boss: services.boss, blobs: services.blobs, uploadDir, maxUploadBytes: config.CIVREG_MAX_UPLOAD_BYTES, ocr: services.ocr, workersRunning: () => withWorkers && !closing, trustProxy: config.CIVREG_TRUST_PROXY, signingKeyDir: signingKeyDir(config), publicUrl: config.CIVREG_PUBLIC_URL, log });
  // Chunks of browser uploads live on this web process's disk: it clears the abandoned ones.
  const stopSweep = app
    ? scheduleTransferSweep({ sql: services.db, dir: uploadDir, maxAgeHours: config.CIVREG_UPLOAD_ABANDON_HOURS, everyMs: Math.min(3_600_000, config.CIVREG_UPLOAD_ABANDON_HOURS * 900_000), log })
    : () => {};
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'stopping');
    stopSweep();
    await app?.close();
    await services.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));

  if (withWorkers) await startStageWorkers(services.boss, services.db, pipelineWorkers({ ...services, ocr: services.ocr! }), log);
  let url: string | null = null;
  if (app) {
    url = await app.listen({ port: config.PORT, host: config.HOST }).catch(async (error: NodeJS.ErrnoException) => {
      await services.close();
      if (error.code === 'EADDRINUSE') throw new CliError('port_in_use', `Port ${config.PORT} is in use. Stop the other program or set PORT to a free port.`);
      throw error;
    });
    log.info({ url }, 'web server listening');
    if (!config.CIVREG_PUBLIC_URL) log.warn({ url: app.listeningOrigin }, 'CIVREG_PUBLIC_URL is not set: certified extracts carry this local address in their QR code and verify link');
    void officesWithoutIssuer(services.db).then(
      (offices) => { if (offices.length) log.warn({ offices: offices.map((o) => o.code) }, 'no extract issuer set for offices with verified records: their certified extracts are refused (issuer_not_set) until one is set with civreg issuer set'); },
      (error: Error) => log.warn({ err: error.message }, 'extract issuers not checked'),
    );
    // The lookup API answers from the start; its data is read into the cache meanwhile (src/api/prewarm.ts).
    void prewarmLookupData(services.db).then(
      (p) => log.info({ relations: p.relations.length, skipped: p.skipped.length, mb: p.megabytes, seconds: p.seconds }, 'lookup data prewarmed'),
      (error: Error) => log.warn({ err: error.message }, 'lookup data not prewarmed'),
    );
  }
  if (mode === 'work') {
    log.info({ ocrWorkers: config.CIVREG_OCR_WORKERS }, 'workers running');
    return new Promise(() => {});
  }
  if (mode === 'start' && (await countBooks(services.db)) === 0) {
    const uploadIds = await ingestSamples(services);
    await waitUntilSettled(services.db, uploadIds, createProgress('Processing samples'));
  }
  await printSummary(services.db, Date.now() - started);
  const firstPassword = await createFirstAdmin(services.db, ...(await newPasswordWithHash()));
  console.log(`\ncivreg is running at ${url}  (Ctrl+C to stop)`);
  if (firstPassword) {
    console.log(`Sign in as "admin" with password ${firstPassword}  (shown once; you will choose your own at the first sign-in).`);
    console.log('Create accounts for staff and verifiers: npx civreg user add --name NAME --role staff|verifier|supervisor --office CODE');
  }
  return new Promise(() => {});
}

interface SampleManifest {
  books: Array<{ id: string; registerType: string; era?: string; office: string; bookNo: string; years: number[]; files: string[] }>;
}

/** Queues the bundled sample books listed in samples/manifest.json. */
async function ingestSamples(services: Services): Promise<number[]> {
  const manifest = JSON.parse(await readFile(join(SAMPLES_DIR, 'manifest.json'), 'utf8')) as SampleManifest;
  const uploadIds: number[] = [];
  for (const book of manifest.books) {
    const files = await expandInputs(book.files.map((file) => join(SAMPLES_DIR, file)));
    const received = await receiveFiles(
      { ...services, maxUploadBytes: services.config.CIVREG_MAX_UPLOAD_BYTES },
      { officeCode: book.office, officeName: book.office, registerType: registerTypeSchema.parse(book.registerType), bookNo: book.bookNo, yearFrom: book.years[0] ?? null, yearTo: book.years.at(-1) ?? null,
        era: book.era === undefined ? null : eraSchema.parse(book.era) },
      files,
      'samples',
    );
    uploadIds.push(...received.filter((r) => r.status === 'queued').map((r) => r.uploadId));
  }
  return uploadIds;
}

async function newPasswordWithHash(): Promise<[string, string]> {
  const password = generatePassword();
  return [password, await hashPassword(password)];
}
