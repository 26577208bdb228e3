import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBook, recheckBookAfterDecision } from '../../src/extract/book-checks.ts';
import { bookTwins, type BookValue } from '../../src/extract/book-twins.ts';
import { wordsFrom, type Vocabulary } from '../../src/extract/vocabulary.ts';
import type { OcrWord } from '../../src/extract/words.ts';
import { upsertMachineField } from '../../src/db/entries.ts';
import { createLocalBlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { seedEntry, type SeedField } from '../http/review-seed.ts';

/** The spellings verified and existing records have: the names and the street of these books. */
const vocabulary: Vocabulary = new Map([
  ['name', wordsFrom(['Trịnh', 'Văn', 'Nhuận', 'Lê', 'Hùng', 'Phạm', 'Thị', 'Lan', 'Đỗ', 'Hoa', 'Hoà', 'Vũ', 'Nam', 'Ngô', 'Tư'].map((word) => ({ word, n: 3 })))],
  ['street', wordsFrom([{ word: 'Huế', n: 2 }])],
]);

let nextId = 0;
function value(entryId: number, pageId: number, field: string, text: string, over: Partial<BookValue> = {}): BookValue {
  return {
    id: ++nextId, entryId, pageId, field, value: text, status: 'auto_accepted', source: 'machine', reasons: [], box: [400, 100 * entryId, 500, 40],
    typed: true, claimed: false, year: 1982, entryNo: entryId, ...over,
  };
}
const held = (entryId: number, pageId: number, field: string, text: string, reasons: string[], over: Partial<BookValue> = {}) =>
  value(entryId, pageId, field, text, { status: 'review', reasons, ...over });
const ids = (found: { id: number }[]) => found.map((f) => f.id);

describe('a typed name or place read surely elsewhere in its book', () => {
  it('confirms a copy held for its confidence or a corrected mark, on another page or apart on the same one, of any field of its kind', () => {
    const sure = value(1, 1, 'registrarName', 'Trịnh Văn Nhuận');
    const unsure = held(2, 2, 'registrarName', 'Trịnh Văn Nhuận', ['low_confidence']);
    const corrected = held(3, 3, 'registrarName', 'Trịnh Văn Nhuận', ['corrected']);
    const samePage = held(4, 1, 'registrarName', 'Trịnh Văn Nhuận', ['low_confidence']);
    // the declarant on one page is the father on another
    const father = value(5, 2, 'fatherName', 'Lê Văn Hùng');
    const declarant = held(6, 3, 'declarantName', 'Lê Văn Hùng', ['corrected', 'low_confidence']);
    expect(bookTwins([sure, unsure, corrected, samePage, father, declarant], new Set(), vocabulary)).toEqual([
      { id: unsure.id, twin: sure.id }, { id: corrected.id, twin: sure.id }, { id: samePage.id, twin: sure.id }, { id: declarant.id, twin: father.id },
    ]);
  });

  it('takes seconds, not minutes, on a district book of 1,500 entries and 30,000 values', () => {
    let seed = 11;
    const pick = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const words = Array.from({ length: 300 }, () => Array.from({ length: 5 }, () => 'abcdeghiklmnopqrstuvxy'[pick(22)]).join(''));
    const spelled: Vocabulary = new Map([['name', wordsFrom(words.map((word) => ({ word, n: 3 })))], ['street', wordsFrom(words.map((word) => ({ word, n: 3 })))]]);
    const values: BookValue[] = [];
    for (let entry = 1; entry <= 1500; entry++) {
      for (let k = 0; k < 20; k++) {
        const text = `${words[pick(300)]} ${words[pick(300)]}`;
        const field = k % 2 ? 'fatherName' : 'fatherResidence';
        values.push(pick(10) === 0 ? held(entry, 1 + Math.floor(entry / 3), field, text, ['low_confidence']) : value(entry, 1 + Math.floor(entry / 3), field, text));
      }
    }
    const started = performance.now();
    expect(bookTwins(values, new Set(), spelled).length).toBeGreaterThan(0);
    // every held value was compared with every sure one: 70 s on this book alone on the machine, 1.5 s by value
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('leaves other holds, hand-writing, unattested spellings, a person\'s values, and nothing without a vocabulary', () => {
    const sure = value(1, 1, 'registrarName', 'Trịnh Văn Nhuận');
    const values = [
      sure,
      held(2, 2, 'registrarName', 'Trịnh Văn Nhuận', ['readings_disagree']),
      held(3, 2, 'registrarName', 'Trịnh Văn Nhuận', ['low_confidence', 'lonely_digit']),
      held(4, 2, 'registrarName', 'Trịnh Văn Nhuận', ['low_confidence'], { typed: false }),
      held(5, 2, 'registrarName', 'Trịnh Văn Nhuận', ['low_confidence'], { claimed: true }),
      held(6, 2, 'registrarName', 'Trịnh Văn Nhuận', ['low_confidence'], { source: 'verifier' }),
      held(7, 2, 'registrarName', 'Trịnh Văn Nhuận', ['audit_sample']),
      // sex and the like are short values of closed lists
      value(8, 1, 'sex', 'male'), held(9, 2, 'sex', 'male', ['low_confidence']),
      // a spelling no record has: not confirmed even when read alike
      value(10, 1, 'fatherName', 'Lê Văn Hưng'), held(11, 2, 'fatherName', 'Lê Văn Hưng', ['low_confidence']),
    ];
    expect(bookTwins(values, new Set(), vocabulary)).toEqual([]);
    expect(bookTwins([sure, held(2, 2, 'registrarName', 'Trịnh Văn Nhuận', ['low_confidence'])], new Set(), undefined)).toEqual([]);
  });

  it('takes no twin read from the same ink, of the same registration, or itself accepted on a twin\'s word', () => {
    // the same ink: boxes that meet on one page, a page set aside (a second scan)
    const sure = value(1, 1, 'registrarName', 'Trịnh Văn Nhuận', { box: [400, 100, 500, 40] });
    const sameInk = held(2, 1, 'registrarName', 'Trịnh Văn Nhuận', ['low_confidence'], { box: [410, 110, 500, 40] });
    expect(bookTwins([sure, sameInk], new Set(), vocabulary)).toEqual([]);
    const onRescan = value(3, 9, 'registrarName', 'Trịnh Văn Nhuận');
    const unsure = held(4, 2, 'registrarName', 'Trịnh Văn Nhuận', ['low_confidence']);
    expect(bookTwins([onRescan, unsure], new Set([9]), vocabulary)).toEqual([]);
    expect(ids(bookTwins([onRescan, unsure], new Set(), vocabulary))).toEqual([unsure.id]);
    // one registration read twice (a second scan not found): same year and number, or two dates to the day alike
    expect(bookTwins([value(5, 3, 'fatherName', 'Lê Văn Hùng', { entryNo: 7 }), held(6, 4, 'fatherName', 'Lê Văn Hùng', ['low_confidence'], { entryNo: 7 })], new Set(), vocabulary)).toEqual([]);
    const dated = [value(7, 5, 'birthDate', '1982-03-01'), value(7, 5, 'registrationDate', '1982-03-05'), value(8, 6, 'birthDate', '1982-03-01'), value(8, 6, 'registrationDate', '1982-03-05')];
    expect(bookTwins([...dated, value(7, 5, 'motherName', 'Phạm Thị Lan'), held(8, 6, 'motherName', 'Phạm Thị Lan', ['low_confidence'])], new Set(), vocabulary)).toEqual([]);
    // a value accepted on a twin's word vouches for no other: acceptance does not chain
    expect(bookTwins([value(9, 7, 'fatherName', 'Vũ Văn Nam', { reasons: ['twin_in_book'] }), held(10, 8, 'fatherName', 'Vũ Văn Nam', ['low_confidence'])], new Set(), vocabulary)).toEqual([]);
    // nor one its own reading left unsure that a copy on its page, its closed list or a second reading confirmed
    for (const confirmedBy of ['twin_on_page', 'closed_list', 'readings_agree']) {
      expect(bookTwins([value(9, 7, 'fatherName', 'Vũ Văn Nam', { confirmedBy }), held(10, 8, 'fatherName', 'Vũ Văn Nam', ['low_confidence'])], new Set(), vocabulary)).toEqual([]);
    }
    // a held copy vouches for nothing either
    expect(bookTwins([held(9, 7, 'fatherName', 'Vũ Văn Nam', ['low_confidence']), held(10, 8, 'fatherName', 'Vũ Văn Nam', ['corrected'])], new Set(), vocabulary)).toEqual([]);
  });

  it('confirms no spelling of letters the book writes with other marks too (a common name one tone mark away)', () => {
    const hoa = value(1, 1, 'motherName', 'Đỗ Thị Hoa');
    const hoaHeld = held(3, 3, 'motherName', 'Đỗ Thị Hoa', ['low_confidence']);
    // records that never spell Hoa otherwise
    const oneHoa: Vocabulary = new Map([...vocabulary, ['name', wordsFrom(['Đỗ', 'Thị', 'Hoa'].map((word) => ({ word, n: 3 })))]]);
    expect(ids(bookTwins([hoa, hoaHeld], new Set(), oneHoa))).toEqual([hoaHeld.id]);
    // records spell Hoà too: the held Hoa may be a Hoà misread onto another person's name, though the book decides no Hoà
    expect(bookTwins([hoa, hoaHeld], new Set(), vocabulary)).toEqual([]);
    // another mother of the book is Đỗ Thị Hoà, decided so: the held Hoa may be her misread
    expect(bookTwins([hoa, value(2, 2, 'motherName', 'Đỗ Thị Hoà'), hoaHeld], new Set(), oneHoa)).toEqual([]);
    expect(bookTwins([hoa, value(2, 2, 'motherName', 'Đỗ Thị Hoà', { status: 'verified', source: 'verifier' }), hoaHeld], new Set(), oneHoa)).toEqual([]);
  });

  it('confirms no misreading that is another real person\'s name or address: a word records spell with other marks, a house number', () => {
    const names: Vocabulary = new Map([...vocabulary, ['name', wordsFrom(['Nguyễn', 'Văn', 'Hùng', 'Hưng'].map((word) => ({ word, n: 3 })))]]);
    // the child Nguyễn Văn Hùng read Hưng, unsure; a father elsewhere is surely Nguyễn Văn Hưng
    expect(bookTwins([value(1, 1, 'fatherName', 'Nguyễn Văn Hưng'), held(2, 2, 'childName', 'Nguyễn Văn Hưng', ['low_confidence'])], new Set(), names)).toEqual([]);
    // Số 133 read 138, unsure; a neighbour at 138 read surely
    const neighbour = value(3, 1, 'fatherResidence', 'Số 138 phố Huế');
    expect(bookTwins([neighbour, held(4, 2, 'motherResidence', 'Số 138 phố Huế', ['low_confidence'])], new Set(), vocabulary)).toEqual([]);
    // a place of words alone still is
    const street = held(6, 2, 'motherResidence', 'phố Huế', ['low_confidence']);
    expect(ids(bookTwins([value(5, 1, 'fatherResidence', 'phố Huế'), street], new Set(), vocabulary))).toEqual([street.id]);
  });
});

/** Typewriter words for a seeded entry's values (test/http/review-seed.ts draws field i at [400, 52 + 60 i, 700, 50]): 20 px a character. */
function typedWords(fields: SeedField[]): OcrWord[] {
  return fields.flatMap((f, i) => {
    let x = 410;
    return (f.value ?? '').split(' ').map((text) => {
      const chars = [...text.normalize('NFD').replace(/\p{M}/gu, '')].length;
      const word: OcrWord = { text, confidence: 0.9, box: [x, 62 + i * 60, 20 * chars + 4, 30], line: i };
      x += 20 * chars + 24;
      return word;
    });
  });
}

describe('the book checks accept held values a sure twin in the book confirms', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'civreg-twins-'));
  });
  afterAll(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const seed = async (bookNo: string, entryNo: number, fields: SeedField[], hand = false) => {
    const seeded = await seedEntry(t.db, createLocalBlobStore(dir), { bookNo, year: 1982, entryNo, fields });
    // written by hand: each word as wide as its letters, not its characters
    const words = typedWords(fields).map((w) => (hand ? { ...w, box: [w.box[0], w.box[1], Math.round(w.box[2] * (0.5 + (w.text.length % 3) * 0.4)), w.box[3]] as OcrWord['box'] } : w));
    await t.db.query(`insert into page_ocr (page_id, engine, text, mean_confidence, words, lines) values ($1, 'test', '', 0.9, $2, '[]')`, [seeded.pageId, JSON.stringify(words)]);
    return seeded;
  };
  const others = (n: number): SeedField[] => [
    { field: 'fatherName', value: `Phạm Văn Nam ${'Lan'.repeat(1)}` }, { field: 'birthPlace', value: `Số ${n} phố Huế Hà Nội` }, { field: 'hometown', value: 'Thị Lan Hùng Văn' },
  ];
  const fieldOf = async (entryId: number, field: string) =>
    (await t.db.query<{ status: string; reasons: string[]; auditSample: boolean; open: number }>(
      `select f.status, f.reasons, f.audit_sample as "auditSample",
              (select count(*)::int from review_item r where r.entry_id = f.entry_id and r.field = f.field and r.status in ('open', 'claimed')) as open
         from entry_field f where f.entry_id = $1 and f.field = $2`, [entryId, field]))[0]!;
  const twins = (auditRate: number) => ({ comparePages: false, twins: { auditRate, vocabulary: async () => vocabulary } });

  it('takes a held copy out of review with its mark, leaves what must stay held, and does it once', async () => {
    const sure = await seed('31', 1, [{ field: 'registrarName', value: 'Trịnh Văn Nhuận' }, { field: 'motherName', value: 'Đỗ Thị Hoa' }, ...others(1)]);
    const unsure = await seed('31', 2, [{ field: 'registrarName', value: 'Trịnh Văn Nhuận', reasons: ['low_confidence'], confidence: 0.8 }, ...others(2)]);
    const other = await seed('31', 3, [
      { field: 'registrarName', value: 'Trịnh Văn Nhuận', reasons: ['readings_disagree'] },
      { field: 'motherName', value: 'Đỗ Thị Hoa', reasons: ['low_confidence'] },
      { field: 'fatherName', value: 'Phạm Văn Nam Lan', reasons: ['corrected'] }, ...others(3).slice(1),
    ]);
    // another mother of the book is Đỗ Thị Hoà: the held Hoa may be her name misread
    await seed('31', 4, [{ field: 'motherName', value: 'Đỗ Thị Hoà' }, ...others(4)]);
    // the father held on entry 3 is claimed by a person
    await t.db.query(`update review_item set status = 'claimed', claimed_by = 'a', claimed_until = now() + interval '1 hour' where entry_id = $1 and field = 'fatherName'`, [other.entryId]);

    const checks = async () => checkBook(t.db, sure.bookId, twins(0));
    await checks();
    expect(await fieldOf(unsure.entryId, 'registrarName')).toEqual({ status: 'auto_accepted', reasons: ['twin_in_book'], auditSample: false, open: 0 });
    expect((await t.db.query<{ status: string }>(`select status from entry where id = $1`, [unsure.entryId]))[0]!.status).toBe('verified');
    const [audit] = await t.db.query<{ detail: { twinFieldId: number } }>(`select detail from audit_event where action = 'field_accepted_by_twin' and object_id = $1`, [`${unsure.entryId}:registrarName`]);
    expect(audit?.detail.twinFieldId).toBeGreaterThan(0);
    // a second reading that read otherwise, a spelling the book gives two ways, a value in a person's hands
    expect(await fieldOf(other.entryId, 'registrarName')).toMatchObject({ status: 'review', reasons: ['readings_disagree'], open: 1 });
    expect(await fieldOf(other.entryId, 'motherName')).toMatchObject({ status: 'review', reasons: ['low_confidence'], open: 1 });
    expect(await fieldOf(other.entryId, 'fatherName')).toMatchObject({ status: 'review', reasons: ['corrected'], open: 1 });

    // run again: nothing changes, and the value accepted on its twin's word vouches for no later copy
    const later = await seed('31', 5, [{ field: 'registrarName', value: 'Trịnh Văn Nhuận', reasons: ['low_confidence'] }, ...others(5)]);
    await t.db.query(`update entry_field set status = 'verified', source = 'verifier' where entry_id = $1 and field = 'registrarName'`, [sure.entryId]);
    await checks();
    expect(await fieldOf(later.entryId, 'registrarName')).toMatchObject({ status: 'review', reasons: ['low_confidence'], open: 1 });
    expect(await fieldOf(unsure.entryId, 'registrarName')).toEqual({ status: 'auto_accepted', reasons: ['twin_in_book'], auditSample: false, open: 0 });
    expect(await fieldOf(sure.entryId, 'registrarName')).toMatchObject({ status: 'verified' });
    expect(await t.db.query(`select 1 from audit_event where action = 'field_accepted_by_twin'`)).toHaveLength(1);
    // the book checks a verifier's decision runs accept nothing on their own
    await t.db.query(`update entry_field set status = 'auto_accepted', source = 'machine' where entry_id = $1 and field = 'registrarName'`, [sure.entryId]);
    await checkBook(t.db, sure.bookId, { comparePages: false });
    expect(await fieldOf(later.entryId, 'registrarName')).toMatchObject({ status: 'review' });
  });

  it('draws the audit sample among the values it would accept, as routing does', async () => {
    const sure = await seed('32', 1, [{ field: 'registrarName', value: 'Ngô Văn Tư' }, ...others(1)]);
    const unsure = await seed('32', 2, [{ field: 'registrarName', value: 'Ngô Văn Tư', reasons: ['corrected'] }, ...others(2)]);
    await checkBook(t.db, sure.bookId, twins(1));
    expect(await fieldOf(unsure.entryId, 'registrarName')).toEqual({ status: 'review', reasons: ['audit_sample'], auditSample: true, open: 1 });
    // the rule that let it through is kept, out of the verifier's sight, for the audit to measure
    const [twinField] = await t.db.query<{ id: string }>(`select id from entry_field where entry_id = $1 and field = 'registrarName'`, [sure.entryId]);
    expect((await t.db.query<{ twin: string }>(`select twin_field_id as twin from entry_field where entry_id = $1 and field = 'registrarName'`, [unsure.entryId]))[0]!.twin).toBe(twinField!.id);
    const [audit] = await t.db.query<{ detail: { twinFieldId: number; auditSample: boolean } }>(`select detail from audit_event where action = 'field_accepted_by_twin' and object_id = $1`, [`${unsure.entryId}:registrarName`]);
    expect(audit?.detail).toEqual({ twinFieldId: Number(twinField!.id), auditSample: true });
  });

  it('takes no twin for a value written by hand', async () => {
    const sure = await seed('34', 1, [{ field: 'registrarName', value: 'Vũ Văn Nam' }, ...others(1)]);
    const unsure = await seed('34', 2, [{ field: 'registrarName', value: 'Vũ Văn Nam', reasons: ['low_confidence'] }, ...others(2)], true);
    const typedUnsure = await seed('34', 3, [{ field: 'registrarName', value: 'Vũ Văn Nam', reasons: ['low_confidence'] }, ...others(3)]);
    await checkBook(t.db, sure.bookId, twins(0));
    expect(await fieldOf(unsure.entryId, 'registrarName')).toMatchObject({ status: 'review', reasons: ['low_confidence'] });
    expect(await fieldOf(typedUnsure.entryId, 'registrarName')).toMatchObject({ status: 'auto_accepted', reasons: ['twin_in_book'] });
  });

  it('takes no twin from a page scanned twice', async () => {
    const sure = await seed('33', 1, [{ field: 'registrarName', value: 'Vũ Văn Nam' }, ...others(1)]);
    const unsure = await seed('33', 2, [{ field: 'registrarName', value: 'Vũ Văn Nam', reasons: ['low_confidence'] }, ...others(2)]);
    await t.db.query(`update page set rescan_of = $2, rescan_similarity = 0.99 where id = $1`, [unsure.pageId, sure.pageId]);
    await checkBook(t.db, sure.bookId, twins(0));
    expect(await fieldOf(unsure.entryId, 'registrarName')).toMatchObject({ status: 'review', reasons: ['low_confidence'] });
  });

  it('takes no twin a copy on its page, its list or a second reading confirmed (stored as read)', async () => {
    const sure = await seed('35', 1, [{ field: 'registrarName', value: 'Vũ Văn Nam' }, ...others(1)]);
    const unsure = await seed('35', 2, [{ field: 'registrarName', value: 'Vũ Văn Nam', reasons: ['low_confidence'] }, ...others(2)]);
    await t.db.query(`update entry_field set confirmed_by = 'readings_agree' where entry_id = $1 and field = 'registrarName'`, [sure.entryId]);
    await checkBook(t.db, sure.bookId, twins(0));
    expect(await fieldOf(unsure.entryId, 'registrarName')).toMatchObject({ status: 'review', reasons: ['low_confidence'] });
  });

  it('sends a copy back to a person once its twin no longer vouches, never a value a person decided', async () => {
    const accepted = async (bookNo: string) => {
      const sure = await seed(bookNo, 1, [{ field: 'registrarName', value: 'Vũ Văn Nam' }, ...others(1)]);
      const copy = await seed(bookNo, 2, [{ field: 'registrarName', value: 'Vũ Văn Nam', reasons: ['low_confidence'] }, ...others(2)]);
      await checkBook(t.db, sure.bookId, twins(0));
      expect(await fieldOf(copy.entryId, 'registrarName')).toMatchObject({ status: 'auto_accepted', reasons: ['twin_in_book'] });
      return { sure, copy };
    };
    const back = { status: 'review', reasons: ['twin_withdrawn'], open: 1 };
    // a verifier puts the twin right: the decision's checks take the copy back
    const corrected = await accepted('36');
    await t.db.query(`update entry_field set value = 'Vũ Văn Năm', status = 'verified', source = 'verifier' where entry_id = $1 and field = 'registrarName'`, [corrected.sure.entryId]);
    await recheckBookAfterDecision(t.db, corrected.sure.entryId, 'registrarName');
    expect(await fieldOf(corrected.copy.entryId, 'registrarName')).toMatchObject(back);
    // with the confidence it was read with (seeded held: 0.4), not the one its acceptance gave it
    expect((await t.db.query<{ confidence: number }>(`select confidence from entry_field where entry_id = $1 and field = 'registrarName'`, [corrected.copy.entryId]))[0]!.confidence).toBeCloseTo(0.4, 5);
    expect((await t.db.query<{ status: string }>(`select status from entry where id = $1`, [corrected.copy.entryId]))[0]!.status).toBe('needs_review');
    // a verifier confirms the twin as it was: the copy stands
    const confirmed = await accepted('37');
    await t.db.query(`update entry_field set status = 'verified', source = 'verifier' where entry_id = $1 and field = 'registrarName'`, [confirmed.sure.entryId]);
    await recheckBookAfterDecision(t.db, confirmed.sure.entryId, 'registrarName');
    expect(await fieldOf(confirmed.copy.entryId, 'registrarName')).toMatchObject({ status: 'auto_accepted', reasons: ['twin_in_book'] });
    // a new reading holds the twin: the next pass takes the copy back
    const reread = await accepted('38');
    await t.db.query(`update entry_field set status = 'review', reasons = '{low_confidence}' where entry_id = $1 and field = 'registrarName'`, [reread.sure.entryId]);
    await checkBook(t.db, reread.sure.bookId, twins(0));
    expect(await fieldOf(reread.copy.entryId, 'registrarName')).toMatchObject(back);
    // the twin's page is found to be a second scan
    const rescanned = await accepted('39');
    const other = await seed('39', 3, others(3));
    await t.db.query(`update page set rescan_of = $2, rescan_similarity = 0.99 where id = $1`, [rescanned.sure.pageId, other.pageId]);
    await checkBook(t.db, rescanned.sure.bookId, twins(0));
    expect(await fieldOf(rescanned.copy.entryId, 'registrarName')).toMatchObject(back);
    // a copy a person accepted is theirs, whatever becomes of its twin
    const kept = await accepted('40');
    await t.db.query(`update entry_field set status = 'verified', source = 'verifier' where entry_id = $1 and field = 'registrarName'`, [kept.copy.entryId]);
    await t.db.query(`update entry_field set value = 'Vũ Văn Năm', status = 'verified', source = 'verifier' where entry_id = $1 and field = 'registrarName'`, [kept.sure.entryId]);
    await recheckBookAfterDecision(t.db, kept.sure.entryId, 'registrarName');
    expect(await fieldOf(kept.copy.entryId, 'registrarName')).toMatchObject({ status: 'verified', reasons: ['twin_in_book'] });
  });

  it('sends a copy back when its twin\'s page is set aside by checks that run without the twins pass', async () => {
    const sure = await seed('43', 1, [{ field: 'registrarName', value: 'Vũ Văn Nam' }, ...others(1)]);
    const copy = await seed('43', 2, [{ field: 'registrarName', value: 'Vũ Văn Nam', reasons: ['low_confidence'] }, ...others(2)]);
    const other = await seed('43', 3, others(3));
    await checkBook(t.db, sure.bookId, twins(0));
    expect(await fieldOf(copy.entryId, 'registrarName')).toMatchObject({ status: 'auto_accepted', reasons: ['twin_in_book'] });
    // the twin's page is found a second scan; the checks after an entry number's decision (no twins option) run
    await t.db.query(`update page set rescan_of = $2, rescan_similarity = 0.99 where id = $1`, [sure.pageId, other.pageId]);
    await checkBook(t.db, sure.bookId, { comparePages: false });
    expect(await fieldOf(copy.entryId, 'registrarName')).toMatchObject({ status: 'review', reasons: ['twin_withdrawn'], open: 1 });
  });

  it('withdraws after a name\'s decision only under the book\'s check lock (a twins pass holding it may be accepting a copy)', async () => {
    const sure = await seed('44', 1, [{ field: 'registrarName', value: 'Vũ Văn Nam' }, ...others(1)]);
    const seen: string[] = [];
    const recording = {
      async query<Row>(text: string, values?: unknown[]): Promise<Row[]> {
        if (text.includes('pg_advisory_xact_lock')) seen.push('lock');
        if (text.includes('twin_withdrawn')) seen.push('withdraw');
        return t.db.query<Row>(text, values);
      },
    };
    await recheckBookAfterDecision(recording, sure.entryId, 'registrarName');
    expect(seen[0]).toBe('lock');
    expect(seen).toContain('withdraw');
  });

  it('a twins pass accepting a copy while a verifier corrects its twin: the correction\'s checks see the acceptance and take it back', async () => {
    const sure = await seed('45', 1, [{ field: 'registrarName', value: 'Vũ Văn Nam' }, ...others(1)]);
    const copy = await seed('45', 2, [{ field: 'registrarName', value: 'Vũ Văn Nam', reasons: ['low_confidence'] }, ...others(2)]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let acceptedUncommitted!: () => void;
    const accepted = new Promise<void>((resolve) => (acceptedUncommitted = resolve));
    // the route stage's checks hold the book's lock, the copy accepted on the twin's committed value, not yet committed
    const pass = t.db.transaction(async (tx) => {
      await checkBook(tx, sure.bookId, twins(0));
      acceptedUncommitted();
      await held;
    });
    await accepted;
    const decision = t.db.transaction(async (tx) => {
      await tx.query(`update entry_field set value = 'Vũ Văn Năm', status = 'verified', source = 'verifier' where entry_id = $1 and field = 'registrarName'`, [sure.entryId]);
      await recheckBookAfterDecision(tx, sure.entryId, 'registrarName');
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await Promise.all([pass, decision]);
    expect(await fieldOf(copy.entryId, 'registrarName')).toMatchObject({ status: 'review', reasons: ['twin_withdrawn'], open: 1 });
  });

  it('stores how a value was confirmed, and a new reading of a copy forgets its twin', async () => {
    const sure = await seed('42', 1, [{ field: 'registrarName', value: 'Vũ Văn Nam' }, ...others(1)]);
    const copy = await seed('42', 2, [{ field: 'registrarName', value: 'Vũ Văn Nam', reasons: ['low_confidence'] }, ...others(2)]);
    await checkBook(t.db, sure.bookId, twins(0));
    await upsertMachineField(t.db, copy.entryId, { field: 'registrarName', raw: 'Vũ Văn Nam', value: 'Vũ Văn Nam', precision: null, pageId: copy.pageId, box: null, confidence: 0.995, reasons: [], confirmedBy: 'twin_on_page' });
    expect((await t.db.query(`select confirmed_by as "confirmedBy", twin_field_id as twin, status from entry_field where entry_id = $1 and field = 'registrarName'`, [copy.entryId]))[0])
      .toEqual({ confirmedBy: 'twin_on_page', twin: null, status: 'pending' });
  });

  it('accepts nothing a person claimed between reading the book and writing the acceptance', async () => {
    const sure = await seed('41', 1, [{ field: 'registrarName', value: 'Vũ Văn Nam' }, ...others(1)]);
    const unsure = await seed('41', 2, [{ field: 'registrarName', value: 'Vũ Văn Nam', reasons: ['low_confidence'] }, ...others(2)]);
    // a verifier claims the value just before the pass writes its acceptance
    const racing = {
      async query<Row>(text: string, values?: unknown[]): Promise<Row[]> {
        if (text.includes("set status = 'auto_accepted'")) {
          await t.db.query(`update review_item set status = 'claimed', claimed_by = 'a', claimed_until = now() + interval '1 hour' where entry_id = $1 and field = 'registrarName'`, [unsure.entryId]);
        }
        return t.db.query<Row>(text, values);
      },
    };
    await checkBook(racing, sure.bookId, twins(0));
    expect(await fieldOf(unsure.entryId, 'registrarName')).toMatchObject({ status: 'review', reasons: ['low_confidence'], open: 1 });
  });
});
