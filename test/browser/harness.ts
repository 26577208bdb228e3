import type { AddressInfo } from 'node:net';
import chromium from '@sparticuz/chromium';
import type { FastifyInstance } from 'fastify';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import type { TestPipeline } from '../helpers/services.ts';
import { ensureBook } from '../../src/db/books.ts';
import { startTestPipeline } from '../helpers/services.ts';
import { addAccount, startWebDesk, testServer } from '../http/web-helpers.ts';

/**
 * Flags for this machine's closed network (no background fetches, updates or sync; see
 * /work/.library/env/machines/node.md) on top of @sparticuz/chromium's own.
 */
const OFFLINE_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The package's Lambda flags that would weaken what the tests check (same-origin rules) or stability. */
const DROPPED = new Set(['--disable-web-security', '--allow-running-insecure-content', '--single-process']);

/**
 * A headless Chromium that `npm install` alone provides: @sparticuz/chromium ships it compressed inside
 * the npm package and unpacks it to the temp folder on first use; playwright-core drives it.
 * It needs the system's NSS libraries (Debian: libnss3), which `.ci/run` installs when missing.
 *
 * @example const browser = await launchBrowser(); const page = await browser.newPage(); …; await browser.close();
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await chromium.executablePath();
  const args = [...chromium.args.filter((a) => !DROPPED.has(a) && !a.startsWith('--headless')), ...OFFLINE_FLAGS];
  return playwright.launch({ executablePath, args, headless: true, timeout: 30_000 });
}

/** Signs in through the real form, as a person would. */
export async function signInPage(page: Page, baseUrl: string, name: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Tên đăng nhập').fill(name);
  await page.getByLabel('Mật khẩu').fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.keyboard.press('Enter')]);
}

/**
 * The web desk with `accounts` (no pipeline workers) listening on a free local port, and a browser to open it:
 * what a browser test of one screen needs. `close` stops all three.
 */
export async function startBrowserDesk(accounts: Parameters<typeof startWebDesk>[0]): Promise<{ p: TestPipeline; app: FastifyInstance; browser: Browser; base: string; close(): Promise<void> }> {
  const [{ p, app }, browser] = await Promise.all([startWebDesk(accounts), launchBrowser()]);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { p, app, browser, base, close: async () => { await browser.close(); await app.close(); await p.close(); } };
}

/**
 * The whole workbench for the screens' walk-throughs (test/browser/workbench-*.test.ts): book 01 of 1962, the
 * accounts hoa and minh (verifiers), lan (staff) and thu (supervisor), pipeline workers when `workers` (real OCR, for
 * an upload to go through), and `newPage`, a page in a fresh context that fails on any request leaving the machine.
 */
export async function startWorkbench(options: { workers: boolean }): Promise<{ p: TestPipeline; browser: Browser; base: string; newPage(): Promise<Page>; close(): Promise<void> }> {
  const [p, browser] = await Promise.all([startTestPipeline({ workers: options.workers }), launchBrowser()]);
  const app = testServer(p);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  await ensureBook(p.services.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
  for (const [name, role] of [['hoa', 'verifier'], ['lan', 'staff'], ['minh', 'verifier'], ['thu', 'supervisor']] as const) await addAccount(p.services.db, name, role, ['HBT']);
  async function newPage(): Promise<Page> {
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    // Nothing may leave the machine: every request goes to civreg itself.
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) throw new Error(`external request: ${request.url()}`);
    });
    return page;
  }
  return { p, browser, base, newPage, close: async () => { await browser.close(); await app.close(); await p.close(); } };
}
