import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookNoKey, bookNoKeySql } from '../../src/text/book-no.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const CASES: Array<[string, string]> = [
  ['01', '1'], ['1', '1'], ['0', '0'], ['01/2010', '1'], ['01/KS', '1'], [' 01 / ks ', '1'], ['01/KS/2010', '1'],
  ['01-BS', '1-BS'], ['10', '10'], ['02/2008', '2'], ['A1', 'A1'], ['01/12', '1/12'],
];

describe('book number key', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('drops leading zeros, a trailing year and a register mark, and nothing that tells books apart', () => {
    for (const [text, key] of CASES) expect(bookNoKey(text), text).toBe(key);
  });

  it('is the same in SQL', async () => {
    const rows = await t.db.query<{ text: string; key: string }>(`select text, ${bookNoKeySql('text')} as key from unnest($1::text[]) as text`, [CASES.map((c) => c[0])]);
    expect(rows.map((r) => [r.text, r.key])).toEqual(CASES);
  });
});
