// ID numbers of a stored run (`civreg eval --entries-out`): accepted and held, right and wrong, by the page's fill and
// the reasons they were held; what the checks of a personal number (src/extract/values.ts: province code; fields.ts:
// its holder's sex and birth year, `personalIdAgrees`) replayed on the stored values say of each; and, for the held only
// for `lonely_digit`, where the figures no other value of the page holds stand: in the part those checks cover (a
// personal number's first six figures, a card's first two) or in the serial no check can see. No OCR is run: the
// figures of the page are those of its stored values' raw text (the page's printed labels are not among them).
//   node test/eval/held-ids.ts CORPUS_DIR ENTRIES.json
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { fieldKind, parseField, personalIdAgrees } from '../../src/extract/values.ts';
import { yearOf } from '../../src/text/normalise.ts';

const [dir, entriesFile] = process.argv.slice(2);
if (!dir || !entriesFile) throw new Error('usage: held-ids.ts CORPUS_DIR ENTRIES.json');
const corpus = await loadCorpus(dir);
const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as (StoredEntry & { page: number })[];
const fills = new Map(corpus.books.map(({ book }) => [book.id, book.fill]));
const paired = pairEntries(corpus.books.map(({ book, truth }) => ({ id: book.id, truth })), stored);
const HOLDER_SEX: Record<string, string> = { husband: 'male', wife: 'female' };

const counts = new Map<string, number>();
const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
const figures = (text: string | null | undefined) => (text ?? '').replace(/\D/g, '');
for (const { book, truth } of corpus.books) {
  for (const entry of truth.entries) {
    const machine = paired.get(`${book.id}/${entry.year}/${entry.entryNo}`)?.machine as (StoredEntry & { page: number }) | undefined;
    if (!machine || entry.struck) continue;
    // every value's figures on the entry's page, entry by entry
    const page = stored.filter((e) => e.book === book.id && e.page === machine.page);
    for (const [name, field] of Object.entries(machine.fields)) {
      if (fieldKind(name) !== 'idNumber' || field.value === null) continue;
      const fill = fills.get(book.id) ?? '?';
      const right = sameFieldValue(name, field.value, entry.fields[name]?.value ?? '');
      const state = `${field.status === 'auto_accepted' ? 'accepted' : 'held'} ${right ? 'right' : 'WRONG'}`;
      add(`${fill}\t${state}\t${(field.reasons ?? []).slice().sort().join('+') || '(no reason)'}`);
      // the checks as they now stand, on the value and the entry's stored sex and birth date
      const who = name.replace(/IdNumber$|idNumber$/, '');
      const sex = who === '' ? (machine.fields.sex?.value ?? null) : (HOLDER_SEX[who] ?? null);
      const born = yearOf(machine.fields[who === '' ? 'birthDate' : `${who}BirthDate`]?.value);
      const parsed = parseField(name, field.value).parsed;
      const agrees = field.value.length === 12 ? personalIdAgrees(field.value, sex, born) : null;
      add(`${fill}\t${state}\tchecks now: ${!parsed ? 'code no province’s' : agrees === false ? 'sex or birth year disagrees' : field.value.length === 12 ? 'all agree' : 'card code in range'}`);
      if ((field.reasons ?? []).join() !== 'lonely_digit') continue;
      const elsewhere = figures(page.flatMap((e) => Object.entries(e.fields).filter(([n, f]) => !(e === machine && n === name) && figures(f.raw) !== field.value).map(([, f]) => f.raw)).join(' '));
      const alone = [...field.value].flatMap((d, i) => (elsewhere.includes(d) ? [] : [i]));
      const covered = field.value.length === 12 ? 6 : 2;
      add(`${fill}\t${state}\tlonely_digit, figures no other value of the page holds: ${alone.length === 0 ? 'none' : Math.max(...alone) < covered ? 'only in the checked part' : 'in the serial'}`);
    }
  }
}
for (const [key, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) console.log(`${String(n).padStart(5)}  ${key}`);
