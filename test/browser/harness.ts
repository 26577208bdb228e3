import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';

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
