import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FAST_QUEUE_ENV } from './services.ts';

const CLI = fileURLToPath(new URL('../../bin/civreg.js', import.meta.url));

/** Runs `civreg ARGS…` as a user would, on the test database `databaseUrl`; a failure returns its exit code and output. */
export async function runCli(args: string[], env: { databaseUrl: string; dataDir: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...FAST_QUEUE_ENV, DATABASE_URL: env.databaseUrl, CIVREG_DATA_DIR: env.dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
