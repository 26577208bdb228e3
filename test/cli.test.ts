import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_QUEUE_ENV, startTestPipeline, type TestPipeline } from './helpers/services.ts';

const CLI = fileURLToPath(new URL('../bin/civreg.js', import.meta.url));

describe('civreg command line', () => {
  let p: TestPipeline;
  const run = async (args: string[], env: Record<string, string> = {}) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
        env: { ...process.env, ...FAST_QUEUE_ENV, DATABASE_URL: p.t.url, CIVREG_DATA_DIR: p.dataDir, ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
  });
  afterAll(() => p.close());

  it('refuses bad arguments and bad configuration with a reason code and exit code 2', async () => {
    expect(await run(['frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('civreg: unknown_command') });
    expect(await run(['ingest', 'x.pdf', '--type', 'divorce', '--office', 'A', '--book', '1'])).toMatchObject({ code: 2, stderr: expect.stringContaining('bad_arguments') });
    expect(await run(['ingest', '/no/such/file.pdf', '--type', 'birth', '--office', 'A', '--book', '1'])).toMatchObject({ code: 2, stderr: expect.stringContaining('not_found') });
    expect(await run(['status', '--bogus'])).toMatchObject({ code: 2, stderr: expect.stringContaining('bad_arguments') });
    const badConfig = await run(['status'], { PORT: 'eighty', CIVREG_OCR_WORKERS: '-1' });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('invalid_config');
    expect(badConfig.stderr).toContain('PORT');
    expect(badConfig.stderr).toContain('CIVREG_OCR_WORKERS');
  });

  it('ingests files, reports duplicates, and shows them in status --json', async () => {
    const file = join(p.dataDir, 'scan.png');
    const { textPage } = await import('./helpers/images.ts');
    await writeFile(file, await textPage(['Số: 1']));
    const args = ['ingest', file, '--office', 'HBT', '--type', 'birth', '--book', '01', '--year', '1999', '--json'];
    const first = await run(args);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).files[0]).toMatchObject({ status: 'queued' });
    const second = await run(args);
    expect(JSON.parse(second.stdout).files[0]).toMatchObject({ status: 'duplicate', duplicateOf: JSON.parse(first.stdout).files[0].uploadId });

    const status = await run(['status', '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report.books).toHaveLength(1);
    expect(report.books[0]).toMatchObject({ registerType: 'birth', bookNo: '01', uploads: 2 });
    expect(report.uploadProblems).toEqual([expect.objectContaining({ status: 'duplicate' })]);
    expect(report.queues.ingest.queued).toBe(1);
  });

  it('exits 1 from fixity when a blob has gone', async () => {
    const ok = await run(['fixity', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ problems: [] });
    const [blob] = await p.services.db.query<{ sha256: string }>('select sha256 from blob limit 1');
    const { rm } = await import('node:fs/promises');
    await rm(join(p.dataDir, 'blobs', blob!.sha256.slice(0, 2), blob!.sha256.slice(2, 4), blob!.sha256));
    const broken = await run(['fixity', '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).problems).toEqual([{ sha256: blob!.sha256, status: 'missing' }]);
  });
});
