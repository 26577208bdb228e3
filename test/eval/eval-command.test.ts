import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { textPage } from '../helpers/images.ts';
import { FAST_QUEUE_ENV } from '../helpers/services.ts';

const CLI = fileURLToPath(new URL('../../bin/civreg.js', import.meta.url));

/** The exact keys EVALUATION.md promises other tools; a report missing one breaks them. */
const CONTRACT = {
  corpus: ['books', 'pages', 'entries', 'fields', 'profile', 'seed'],
  ocr: ['cer', 'cerRawImage', 'wer', 'byEra', 'confidenceBands'],
  entries: ['truth', 'found', 'precision', 'recall', 'continued'],
  fields: ['accuracy', 'machineAccuracy', 'reviewRate', 'autoAcceptRate', 'autoAcceptedErrorRate', 'autoAcceptedErrorUpper95', 'invented', 'byField', 'byCriticalKind', 'byFill', 'byEra'],
  match: ['precision', 'recall', 'f1', 'autoLinkPrecision', 'autoLinkRecall', 'reviewShare', 'pairsCompared'],
  book: ['faultsInjected', 'faultsFlagged', 'falseAlarms', 'pagesWithoutEntries', 'orphanContinuations', 'byKind', 'falseAlarmList', 'afterReview'],
  timing: ['pages', 'seconds', 'pagesPerMinute'],
  lookup: ['served', 'queries', 'found', 'wrongPerson', 'ambiguous', 'none', 'refused', 'byKind', 'wrongList'],
};

/**
 * A hand-made corpus in the EVALUATION.md format (not made by civreg's generator): one printed
 * page whose truth lines are where the text was drawn, one entry, one fault, one link.
 */
async function writeTinyCorpus(dir: string): Promise<void> {
  const lines = ['Số: 1 Quyển số: 01/2018', 'Họ, chữ đệm, tên: Nguyễn Thị Hoa', 'Ngày, tháng, năm sinh: 15/03/2018', 'Nơi sinh: Phường Bạch Mai', 'Ngày, tháng, năm đăng ký: 02/04/2018'];
  const fontSize = 40;
  await mkdir(join(dir, 'b01'));
  await writeFile(join(dir, 'b01', 'page1.png'), await textPage(lines, { fontSize }));
  const box = (i: number, text: string): [number, number, number, number] => [60, 100 + i * fontSize * 2 - fontSize, Math.round(text.length * fontSize * 0.6), Math.round(fontSize * 1.3)];
  await writeFile(
    join(dir, 'manifest.json'),
    JSON.stringify({ version: 1, profile: 'clean', seed: 7, books: [{ id: 'b01', registerType: 'birth', era: '2016-', office: 'Phường Bạch Mai', bookNo: '01', years: [2018], files: ['b01/page1.png'] }] }),
  );
  await writeFile(
    join(dir, 'b01', 'truth.json'),
    JSON.stringify({
      pages: [{ index: 0, file: 'b01/page1.png', filePage: 0, blank: false, lines: lines.map((text, i) => ({ text, box: box(i, text) })) }],
      entries: [{ key: 'b01/2018/1', year: 2018, entryNo: 1, pages: [0], struck: false, fields: {
        fullName: { value: 'Nguyễn Thị Hoa', page: 0, box: box(1, lines[1]!) },
        birthDate: { value: '2018-03-15', page: 0, box: box(2, lines[2]!) },
      } }],
      faults: [{ kind: 'entry_gap', year: 2018, after: 1, missing: [2] }],
    }),
  );
  await writeFile(join(dir, 'existing.jsonl'), JSON.stringify({ id: 'E1', registerType: 'birth', fields: { fullName: 'Nguyễn Thị Hoa' } }) + '\n');
  await writeFile(join(dir, 'truth-links.json'), JSON.stringify({ sameEvent: [['scan:b01/2018/1', 'existing:E1']] }));
}

describe('civreg eval', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-corpus-'));
    await writeTinyCorpus(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [CLI, 'eval', ...args], {
      env: { ...process.env, ...FAST_QUEUE_ENV, CIVREG_OCR_WORKERS: '1', DATABASE_URL: inject('serverUrl') },
    });

  it('runs the real pipeline on a corpus it did not generate and reports every key of the contract', async () => {
    const { stdout } = await run(['--corpus', dir, '--json']);
    const report = JSON.parse(stdout);
    for (const [section, keys] of Object.entries(CONTRACT)) {
      for (const key of keys) expect(report[section], `${section}.${key}`).toHaveProperty(key);
    }
    expect(report.corpus).toEqual({ books: 1, pages: 1, entries: 1, fields: 2, profile: 'clean', seed: 7 });
    // Clean printed text: the engine reads it almost perfectly, with and without cleanup.
    expect(report.ocr.cer).toBeLessThan(0.05);
    expect(report.ocr.cerRawImage).toBeLessThan(0.05);
    expect(report.ocr.byEra['2016-']).toMatchObject({ pages: 1 });
    expect(report.ocr.byRegisterType).toEqual({ birth: { cer: report.ocr.cer, cerRawImage: report.ocr.cerRawImage, pages: 1 } });
    expect(report.ocr.confidenceBands.reduce((sum: number, band: { words: number }) => sum + band.words, 0)).toBeGreaterThan(5);
    // The form's labels are found on a page civreg did not draw, and the entry with them.
    // …and its one form counted by its labels: nothing to key after review
    expect(report.entries).toEqual({ truth: 1, found: 1, precision: 1, recall: 1, continued: { truth: 0, joined: 0 },
      afterReview: { found: 1, recall: 1, pagesRaised: 0, missingOnRaised: 0, keyed: 0, refused: {} } });
    expect(report.fields.byField.fullName).toMatchObject({ truth: 1, machineAccuracy: 1 });
    expect(report.fields.byField.birthDate).toMatchObject({ truth: 1, machineAccuracy: 1 });
    expect(report.fields.invented).toBe(0);
    expect(report.match.truePairs).toBe(1);
    // The matcher on the truth entry: a bare name with no date is too little to link, or even to ask about.
    expect(report.match.onTruth).toMatchObject({ autoLinks: 0, reviews: 0, recall: 0, truePairs: 1 });
    // Through the pipeline the entry was found, so the missed pair is the matcher's, not extraction's; after
    // review settles the fields to the truth it is still missed the same way.
    for (const m of [report.match, report.match.afterReview]) {
      expect(m.lost).toMatchObject({ truePairs: 1, found: 0, pairsWithEntries: 1, recallWithEntries: 0, lost: { entry_not_found: 0 } });
      expect(Object.values(m.lost.lost).reduce((a: number, b) => a + (b as number), 0)).toBe(1);
    }
    expect(report.match.afterReview.entriesSettled).toBeGreaterThanOrEqual(0);
    // the gap follows the only entry: nothing on the page shows it, and nothing else is raised
    expect(report.book).toMatchObject({ faultsInjected: 1, faultsFlagged: 0, falseAlarms: 0, byKind: { entry_gap: { injected: 1, flagged: 0 } } });
    expect(report.book.afterReview).toMatchObject({ faultsFlagged: 0, falseAlarms: 0, byKind: { entry_gap: { injected: 1, flagged: 0 } } });
    expect(report.book.entryNotRead).toMatchObject({ raised: 0, falseAlarms: 0, pagesShort: 0 });
    expect(report.timing.pages).toBe(1);
    // The entry asked for by book and entry number through the API (no ID number, no place: nothing else to ask).
    expect(report.lookup).toMatchObject({ served: 1, queries: 1, found: 1, wrongPerson: 0 });
    expect(report.lookup.byKind.entry).toMatchObject({ queries: 1, found: 1 });
  }, 120_000);

  it('refuses a corpus that does not match the format, naming the file and key', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'civreg-bad-corpus-'));
    await writeFile(join(bad, 'manifest.json'), JSON.stringify({ version: 1, books: [{ id: 'x', registerType: 'divorce' }] }));
    const failure = await run(['--corpus', bad]).then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/bad_corpus: manifest\.json .*\n.*books\.0\.registerType/);
    await rm(bad, { recursive: true, force: true });
  });
});
