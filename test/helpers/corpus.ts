import { bookTruthSchema, manifestBookSchema, type ExistingRecord } from '../../schemas/corpus.ts';
import type { Corpus } from '../../src/eval/corpus.ts';

/**
 * A corpus of one 2018 birth book `b01` (one page, file `b01/p.png`) whose truth entries 1, 2, … hold
 * `people`'s fields, with the existing records and same-event links given.
 */
export function oneBookCorpus(people: Record<string, string>[], more: Partial<Pick<Corpus, 'existing' | 'links'>> = {}): Corpus {
  return {
    dir: '/nowhere',
    manifest: { version: 1, books: [] },
    books: [{
      book: manifestBookSchema.parse({ id: 'b01', registerType: 'birth', era: '2016-', office: 'HBT', bookNo: '01', years: [2018], files: ['b01/p.png'] }),
      truth: bookTruthSchema.parse({
        pages: [],
        entries: people.map((fields, i) => ({
          key: `b01/2018/${i + 1}`, year: 2018, entryNo: i + 1, pages: [0],
          fields: Object.fromEntries(Object.entries(fields).map(([k, value]) => [k, { value, page: 0, box: [0, 0, 1, 1] }])),
        })),
      }),
    }],
    existing: more.existing ?? ([] as ExistingRecord[]),
    links: more.links ?? { sameEvent: [] },
  };
}
