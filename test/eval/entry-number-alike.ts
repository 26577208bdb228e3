/**
 * How often an entry number stored unparsed ("S6", "10O", "90.") is the entry's number once read again by
 * entryNumberAlike (src/extract/values.ts), on eval runs' stored entries (`civreg eval --entries-out`) paired with the
 * corpora's truth. Not a test.
 *
 *   npx node test/eval/entry-number-alike.ts ENTRIES.json CORPUS_DIR [ENTRIES.json CORPUS_DIR …]
 */
import { readFileSync } from 'node:fs';
import { pairEntries } from '../../src/eval/metrics/extraction.ts';
import { entryNumberAlike } from '../../src/extract/values.ts';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) throw new Error('usage: entry-number-alike.ts ENTRIES CORPUS [ENTRIES CORPUS …]');
const totals = { unparsed: 0, read: 0, right: 0 };
for (let k = 0; k < args.length; k += 2) {
  const stored = JSON.parse(readFileSync(args[k]!, 'utf8'));
  const corpus = args[k + 1]!;
  const manifest = JSON.parse(readFileSync(`${corpus}/manifest.json`, 'utf8')) as { books: { id: string }[] };
  const books = manifest.books.map((b) => ({ id: b.id, truth: JSON.parse(readFileSync(`${corpus}/${b.id}/truth.json`, 'utf8')) }));
  const paired = pairEntries(books, stored) as Map<string, { machine: { fields: Record<string, { value: string | null; raw?: string } | undefined> } }>;
  for (const [key, { machine }] of paired) {
    const f = machine.fields.entryNo;
    if (!f || f.value !== null || !f.raw) continue;
    totals.unparsed++;
    const alike = entryNumberAlike(f.raw);
    if (alike === null) continue;
    totals.read++;
    if (alike === key.split('/')[2]) totals.right++;
    else console.log(`  wrong ${corpus} ${key}: ${JSON.stringify(f.raw.split(' ')[0])} read ${alike}`);
  }
}
console.log(`unparsed entry numbers of paired entries: ${totals.unparsed}; read again: ${totals.read}, the entry's number: ${totals.right}`);
