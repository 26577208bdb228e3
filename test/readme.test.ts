import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../schemas/config.ts';
import { REASONS, WARNINGS } from '../schemas/reasons.ts';

describe('README', () => {
  it('starts with the two commands a newcomer runs', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const commands = [...readme.matchAll(/^```sh\n([\s\S]*?)```/gm)].map((m) => m[1]!.trim());
    expect(commands.slice(0, 2)).toEqual(['npm install && npm start', 'npm test']);
  });

  it('lists every reason code, warning code and setting', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of [...Object.keys(REASONS), ...Object.keys(WARNINGS), ...Object.keys(configSchema.shape)]) {
      expect(readme, code).toContain(`\`${code}\``);
    }
  });

  it('gives every reason a Vietnamese message in NFC', () => {
    for (const message of [...Object.values(REASONS), ...Object.values(WARNINGS)]) {
      expect(message.normalize('NFC')).toBe(message);
      expect(message).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i);
    }
  });
});
