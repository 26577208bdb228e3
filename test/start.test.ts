import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_QUEUE_ENV, startTestPipeline, waitFor, type TestPipeline } from './helpers/services.ts';

const CLI = fileURLToPath(new URL('../bin/civreg.js', import.meta.url));

describe('civreg start', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
  });
  afterAll(() => p.close());

  it('processes the bundled samples into an empty database, prints the summary and URL, serves /healthz and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [CLI, 'start'], {
      env: { ...process.env, ...FAST_QUEUE_ENV, CIVREG_LOG_LEVEL: 'warn', DATABASE_URL: p.t.url, CIVREG_DATA_DIR: p.dataDir, PORT: '0', CIVREG_OCR_WORKERS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await waitFor('the URL', async () => /civreg is running at (http:\/\/\S+)/.exec(stdout)?.[1], 150_000);
      expect(stdout).toMatch(/Books: 4 +pages: 6 +read: 6 +words: \d+/);
      expect(stdout).toMatch(/Entries: [1-9]\d* +fields accepted: \d+ +to review: \d+ +book issues: \d+/);
      expect(stdout).toMatch(/Pages rejected: 0 +duplicate: 0 +failed: 0/);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const healthBody = (await health.json()) as { workers: { ocr: { recognised: number } } };
      expect(healthBody).toMatchObject({ status: 'ok', workers: { status: 'ok' } });
      // every page was read; a ruled register is read strip by strip (the text above it, each column, the text below)
      expect(healthBody.workers.ocr.recognised).toBeGreaterThanOrEqual(6);
      // The newcomer signs in with the first admin's password the start printed.
      const password = await waitFor('the admin password', async () => /Sign in as "admin" with password (\S+)/.exec(stdout)?.[1], 10_000);
      const form = await fetch(`${url}/login`);
      const loginCookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const signedIn = await fetch(`${url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, name: 'admin', password }),
      });
      expect(signedIn.status).toBe(303);
      const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('civreg_session='))!.split(';')[0]!;
      // A printed password is not theirs to keep: every page sends them to choose their own first.
      const held = await fetch(`${url}/books`, { redirect: 'manual', headers: { cookie: session, accept: 'text/html' } });
      expect([held.status, held.headers.get('location')]).toEqual([302, '/password']);
      const own = 'mật khẩu của người quản trị 2026';
      const passwordForm = await (await fetch(`${url}/password`, { headers: { cookie: session } })).text();
      const changed = await fetch(`${url}/password`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(passwordForm)![1]!, current_password: password, new_password: own, new_password_again: own }),
      });
      expect(changed.status).toBe(303);
      const books = await (await fetch(`${url}/books`, { headers: { cookie: session } })).text();
      expect(books).toContain('Khai tử');
      // No CIVREG_PUBLIC_URL: one warning that extracts carry the local address the server listens on.
      const warnings = stderr.split('\n').filter((line) => line.includes('CIVREG_PUBLIC_URL is not set'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40, url });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 180_000);
});
