/**
 * A one-line progress bar on a terminal, or a line every few seconds when output is a file or pipe
 * (so logs of long runs still show movement without thousands of lines).
 */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastPrinted = 0;
  return {
    update(done: number, total: number, note = '') {
      const share = total > 0 ? Math.min(1, done / total) : 0;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${note}`.padEnd(100));
      } else if (Date.now() - lastPrinted > 5000 || done === total) {
        lastPrinted = Date.now();
        stream.write(`${label}: ${done}/${total} ${note}\n`);
      }
    },
    finish() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
