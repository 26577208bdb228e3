import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FAST_QUEUE_ENV } from './services.ts';

const CLI = fileURLToPath(new URL('../../bin/civreg.js', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves when the process logs that its workers are running. */
  ready: Promise<void>;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A real `civreg work` process on the given database, as a second machine would run it. */
export function startWorkerProcess(databaseUrl: string, dataDir: string, env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, [CLI, 'work'], {
    env: { ...process.env, ...FAST_QUEUE_ENV, CIVREG_LOG_LEVEL: 'info', CIVREG_OCR_WORKERS: '1', ...env, DATABASE_URL: databaseUrl, CIVREG_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('workers running')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`civreg work exited with ${code} before it was ready:\n${output}`)));
  });
  ready.catch(() => {});
  return {
    child,
    ready,
    output: () => output,
    kill: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
