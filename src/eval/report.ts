import type { Corpus } from './corpus.ts';
import type { Fault } from '../../schemas/corpus.ts';
import { closurePairs } from './metrics/links.ts';
import type { BookYearsSettled } from './book-years.ts';
import { scoreBookChecks, scoreUnreadNotices } from './metrics/book-checks.ts';
import { scoreChanges, scoreExtraction } from './metrics/extraction.ts';
import type { KeyingSimulation } from './keying.ts';
import { formatMatch, type EvalMatch } from './match.ts';
import type { CerGroup, DpiBand, OcrQuality } from './ocr-quality.ts';
import type { EvalLookup } from './lookup.ts';
import { pageNaming, type CorpusRun } from './run.ts';

/**
 * The quality report of EVALUATION.md. Keys are a contract read by other tools: keep them, add
 * freely. A figure the pipeline cannot produce yet (extraction, routing, matching and book checks
 * are later stages) is null, never a made-up number.
 */
export interface EvalReport {
  corpus: { books: number; pages: number; entries: number; fields: number; profile: string | null; seed: number | null };
  ocr: OcrQuality;
  /** `continued`: entries running over a page break in the truth, and those found with exactly their pages. */
  entries: { truth: number; found: number | null; precision: number | null; recall: number | null; continued?: { truth: number; joined: number };
    /** Once review is done: the entries on pages raised for keying keyed by people (src/eval/keying.ts). */
    afterReview?: { found: number; recall: number | null } & KeyingSimulation };
  /** Marginal notes read as events (kind, field, new value and date as in the truth). */
  notes: { truth: number; read: number; recall: number | null };
  /**
   * Entries of registers of changes made events on the entries they refer to (metrics/extraction.ts scoreChanges);
   * `afterReview`: once the fields sent to people are settled and the book checks run again.
   */
  changes: ReturnType<typeof scoreChanges> & { afterReview?: ReturnType<typeof scoreChanges> };
  fields: {
    accuracy: number | null;
    machineAccuracy: number | null;
    reviewRate: number | null;
    autoAcceptRate: number | null;
    autoAcceptedErrorRate: number | null;
    autoAcceptedErrorUpper95: number | null;
    invented: number | null;
    /** Wrong values accepted without a person (at most 50), with the truth: the corpus is synthetic, so this is no personal data. */
    acceptedWrong: { entry: string; field: string; machine: string | null; truth: string }[];
    byField: Record<string, { truth: number; machineAccuracy: number | null; autoAcceptRate: number | null; autoAcceptedErrorRate: number | null; autoAcceptedErrorUpper95: number | null }>;
    /** Names, dates, places, ID numbers, entry numbers: the ≤ 0.3 % budget holds for each (upper 95 % bound). */
    byCriticalKind: Record<string, { truth: number; machineAccuracy: number | null; autoAcceptRate: number | null; autoAcceptedErrorRate: number | null; autoAcceptedErrorUpper95: number | null }>;
    /** By how the values were entered (printed, typed, hand), where the manifest says. */
    byFill: Record<string, { truth: number; machineAccuracy: number | null; autoAcceptRate: number | null; autoAcceptedErrorRate: number | null; autoAcceptedErrorUpper95: number | null }>;
    byEra: Record<string, { machineAccuracy: number | null; autoAcceptRate: number | null; autoAcceptedErrorRate: number | null }>;
  };
  /** Through the pipeline; `onTruth`: the matcher on the truth entries (src/eval/match.ts). */
  match: { precision: number | null; recall: number | null; f1: number | null; autoLinkPrecision: number | null; autoLinkRecall: number | null; reviewShare: number | null; pairsCompared: number | null; truePairs: number } & Partial<Pick<EvalMatch, 'byEra' | 'onTruth' | 'lost' | 'afterReview' | 'reviewsBelowThreshold'>>;
  /** `orphanContinuations`: page tops continuing an entry whose page is missing, those raised on their page, and all raised. */
  book: { faultsInjected: number; faultsFlagged: number | null; falseAlarms: number | null; pagesWithoutEntries: number;
    orphanContinuations?: { truth: number; flagged: number; raised: number }; byKind: Record<string, { injected: number; flagged: number | null }>;
    falseAlarmList: { book: string; kind: string; page: number | null; year: number | null; entryNo: number | null; detail: Record<string, unknown> }[];
    missedList?: ({ book: string } & Fault)[];
    /** The same once review is settled: people confirmed the entry numbers the checks could not judge (run.ts extractionAfterReview), with the entries people keyed. */
    afterReview?: Pick<EvalReport['book'], 'faultsFlagged' | 'falseAlarms' | 'byKind' | 'falseAlarmList' | 'missedList'> & { bookYearsSettled?: BookYearsSettled };
    /** `entry_not_read` notices against the pages whose entries extraction did not all find (metrics/extraction.ts scoreUnreadNotices). */
    entryNotRead?: ReturnType<typeof scoreUnreadNotices> };
  timing: { pages: number; seconds: number; pagesPerMinute: number; stageMsPerPage?: Record<string, number> };
  /** The lookup API asked for every truth entry once review is settled (src/eval/lookup.ts); null when not measured. */
  lookup: EvalLookup | null;
}

/** `reviewed`: the entries and book issues once review is settled and the raised pages keyed (cli/eval.ts). */
export function buildReport(corpus: Corpus, run: CorpusRun, ocr: OcrQuality, match?: EvalMatch, lookup?: EvalLookup, reviewed?: Pick<CorpusRun, 'entries' | 'issues'> & { keying: KeyingSimulation; bookYears?: BookYearsSettled }): EvalReport {
  const entries = corpus.books.flatMap(({ truth }) => truth.entries.filter((entry) => !entry.struck));
  const byField: EvalReport['fields']['byField'] = {};
  for (const entry of entries) {
    for (const key of Object.keys(entry.fields)) {
      byField[key] ??= { truth: 0, machineAccuracy: null, autoAcceptRate: null, autoAcceptedErrorRate: null, autoAcceptedErrorUpper95: null };
      byField[key].truth += 1;
    }
  }
  const byEra: EvalReport['fields']['byEra'] = {};
  for (const { book } of corpus.books) byEra[book.era] = { machineAccuracy: null, autoAcceptRate: null, autoAcceptedErrorRate: null };
  const books = corpus.books.map(({ book, truth }) => ({ id: book.id, era: book.era, fill: book.fill, truth }));
  const extraction = scoreExtraction(books, run.entries);
  for (const [key, scored] of Object.entries(extraction.fields.byField)) byField[key] = scored;
  Object.assign(byEra, extraction.fields.byEra);
  return {
    corpus: {
      books: corpus.books.length,
      pages: corpus.books.reduce((sum, { truth }) => sum + truth.pages.length, 0),
      entries: entries.length,
      fields: entries.reduce((sum, entry) => sum + Object.keys(entry.fields).length, 0),
      profile: corpus.manifest.profile ?? null,
      seed: corpus.manifest.seed ?? null,
    },
    ocr,
    entries: { ...extraction.entries, ...(reviewed ? { afterReview: { ...pick2(scoreExtraction(books, reviewed.entries).entries), ...reviewed.keying } } : {}) },
    notes: extraction.notes,
    changes: { ...scoreChanges(books, run.entries), ...(reviewed ? { afterReview: scoreChanges(books, reviewed.entries) } : {}) },
    fields: { ...extraction.fields, byField, byEra },
    match: match ?? { precision: null, recall: null, f1: null, autoLinkPrecision: null, autoLinkRecall: null, reviewShare: null, pairsCompared: null, truePairs: closurePairs(corpus.links.sameEvent).size },
    book: { ...scoreBookChecks(books, run.issues), ...(reviewed ? { afterReview: { ...pick(scoreBookChecks(books, reviewed.issues)), ...(reviewed.bookYears ? { bookYearsSettled: reviewed.bookYears } : {}) } } : {}), entryNotRead: scoreUnreadNotices(books, run.entries, run.issues, pageNaming(corpus, run.pages)) },
    timing: { pages: run.pageCount, seconds: round(run.seconds, 1), pagesPerMinute: run.seconds > 0 ? round((run.pageCount / run.seconds) * 60, 1) : 0, stageMsPerPage: run.stageMsPerPage },
    lookup: lookup ?? null,
  };
}

const changeLine = (label: string, c: ReturnType<typeof scoreChanges>) =>
  `${label}: ${c.right} of ${c.withOriginal} changes made the right event on their original, ${c.wrong} wrong, ${c.unresolved} held for a person` +
  `${c.unresolved ? ` (${Object.entries(c.unresolvedBy).map(([reason, n]) => `${reason} ${n}`).join(', ')})` : ''}; ` +
  `${c.absentHeld} of ${c.originalAbsent} whose original book is not in the corpus held`;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(2)}%`);

/** The readable terminal version of the report. */
export function formatReport(report: EvalReport): string {
  const lines = [
    `Corpus: ${report.corpus.books} books, ${report.corpus.pages} pages, ${report.corpus.entries} entries, ${report.corpus.fields} fields` +
      ` (profile ${report.corpus.profile ?? 'unknown'}, seed ${report.corpus.seed ?? 'unknown'})`,
    '',
    'OCR            CER       CER raw image   pages',
    `  all          ${percent(report.ocr.cer).padEnd(10)}${percent(report.ocr.cerRawImage).padEnd(16)}${report.corpus.pages}`,
    ...[...Object.entries(report.ocr.byEra), ...Object.entries(report.ocr.byRegisterType)].map(
      ([group, e]) => `  ${group.padEnd(13)}${percent(e.cer).padEnd(10)}${percent(e.cerRawImage).padEnd(16)}${e.pages}`,
    ),
    `  WER ${percent(report.ocr.wer)}`,
    ...formatFillDpi(report.ocr),
    `  Scan quality gate: ${report.ocr.gate.needsRescan} image(s) to rescan` +
      `${Object.keys(report.ocr.gate.reasons).length ? ` (${Object.entries(report.ocr.gate.reasons).map(([r, n]) => `${r} ${n}`).join(', ')})` : ''}, ${report.ocr.gate.blank} blank`,
    '',
    'Word error rate by OCR confidence:',
    ...report.ocr.confidenceBands.filter((band) => band.words > 0).map((band) => `  ${band.from.toFixed(1)}–${band.to.toFixed(1)}  ${String(band.words).padStart(6)} words  ${percent(band.errorRate)}`),
    '',
    `Entries: ${report.entries.found ?? 0} of ${report.entries.truth} found (precision ${percent(report.entries.precision)}, recall ${percent(report.entries.recall)})` +
      (report.entries.continued?.truth ? `; ${report.entries.continued.joined} of ${report.entries.continued.truth} continued on the next page joined with both pages` : ''),
    ...(report.entries.afterReview ? [`  after review: ${report.entries.afterReview.found} found (recall ${percent(report.entries.afterReview.recall)}), ${report.entries.afterReview.keyed} keyed by hand of ` +
      `${report.entries.afterReview.missingOnRaised} not found on the ${report.entries.afterReview.pagesRaised} pages raised for keying` +
      `${Object.keys(report.entries.afterReview.refused).length ? ` (refused: ${Object.entries(report.entries.afterReview.refused).map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}`] : []),
    `Fields: machine ${percent(report.fields.machineAccuracy)}, auto-accepted ${percent(report.fields.autoAcceptRate)} with ${percent(report.fields.autoAcceptedErrorRate)} wrong` +
      ` (upper 95% ${percent(report.fields.autoAcceptedErrorUpper95)}), sent to review ${percent(report.fields.reviewRate)}, after review ${percent(report.fields.accuracy)}, invented ${report.fields.invented}`,
    ...Object.entries(report.fields.byCriticalKind).map(([kind, k]) => `  ${kind.padEnd(13)}auto ${percent(k.autoAcceptRate).padEnd(9)}auto wrong ${percent(k.autoAcceptedErrorRate).padEnd(9)}upper 95% ${percent(k.autoAcceptedErrorUpper95)}`),
    ...Object.entries(report.fields.byEra).map(([era, e]) => `  ${era.padEnd(13)}machine ${percent(e.machineAccuracy).padEnd(9)}auto ${percent(e.autoAcceptRate).padEnd(9)}auto wrong ${percent(e.autoAcceptedErrorRate)}`),
    ...Object.entries(report.fields.byFill).map(([fill, f]) => `  ${(fill + ' fill').padEnd(13)}machine ${percent(f.machineAccuracy).padEnd(9)}auto ${percent(f.autoAcceptRate).padEnd(9)}auto wrong ${percent(f.autoAcceptedErrorRate).padEnd(9)}upper 95% ${percent(f.autoAcceptedErrorUpper95)}`),
    `Marginal notes: ${report.notes.read} of ${report.notes.truth} read as events`,
    ...(report.changes.truth ? [changeLine('Registers of changes', report.changes), ...(report.changes.afterReview ? [changeLine('  after review', report.changes.afterReview)] : [])] : []),
    `Book checks: ${report.book.faultsFlagged ?? 0} of ${report.book.faultsInjected} faults flagged, ${report.book.falseAlarms ?? 0} false alarms, ${report.book.pagesWithoutEntries} pages read without an entry (to key by hand)` +
      (report.book.orphanContinuations?.truth ? `, ${report.book.orphanContinuations.flagged} of ${report.book.orphanContinuations.truth} continuations of an entry on a missing page raised` : ''),
    ...(report.book.entryNotRead ? [`  entries not read: raised on ${report.book.entryNotRead.raised} pages, ${report.book.entryNotRead.falseAlarms} of them with every entry found (false alarms, of ${report.book.entryNotRead.pages} pages); ` +
      `${report.book.entryNotRead.pagesShortRaised} of ${report.book.entryNotRead.pagesShort} pages with entries not found raised`] : []),
    ...(report.book.afterReview ? [`  after review: ${report.book.afterReview.faultsFlagged ?? 0} of ${report.book.faultsInjected} faults flagged, ${report.book.afterReview.falseAlarms ?? 0} false alarms`] : []),
    ...formatMatch(report.match),
    ...(report.lookup ? [formatLookup(report.lookup)] : []),
    `Time: ${report.timing.pages} pages in ${report.timing.seconds} s (${report.timing.pagesPerMinute} pages/minute)`,
  ];
  return lines.join('\n');
}

/** CER by era × fill and resolution band (older reports without these keys print nothing). */
function formatFillDpi(ocr: OcrQuality): string[] {
  if (!ocr.byFill || !ocr.byEraFill || !ocr.byDpi) return [];
  const band = (g: CerGroup | undefined) => (g ? `${percent(g.cer)} (${g.pages} p.)` : '—').padEnd(18);
  const row = (label: string, g: CerGroup & { byDpi: Partial<Record<DpiBand, CerGroup>> }) =>
    `  ${label.padEnd(22)}${`${percent(g.cer)} (${g.pages} p.)`.padEnd(18)}${band(g.byDpi['>=300'])}${band(g.byDpi['<300'])}${ocr.byDpi.unknown ? band(g.byDpi.unknown) : ''}`.trimEnd();
  return [
    `OCR by era and fill     CER               >=300 dpi         <300 dpi${ocr.byDpi.unknown ? '          dpi unknown' : ''}`,
    ...Object.entries(ocr.byEraFill).flatMap(([era, fills]) => Object.entries(fills).map(([fill, g]) => row(`${era} ${fill}`, g))),
    ...Object.entries(ocr.byFill).map(([fill, g]) => row(`${fill}, all eras`, g)),
    row('all', { cer: ocr.cer, cerRawImage: ocr.cerRawImage, pages: Object.values(ocr.byDpi).reduce((n, g) => n + (g?.pages ?? 0), 0), byDpi: ocr.byDpi }),
  ];
}

function formatLookup(l: EvalLookup): string {
  const kinds = Object.entries(l.byKind).map(([kind, k]) => `${kind} ${k.wrongPerson}/${k.found}`).join(', ');
  return `Lookup: ${l.queries} queries on ${l.served} served records: ${l.found} found, wrong person ${l.wrongPerson} (${kinds}), ` +
    `${l.ambiguous} ambiguous, ${l.none} not found, ${l.refused} refused`;
}

const pick2 = ({ found, recall }: ReturnType<typeof scoreExtraction>['entries']) => ({ found, recall });
const pick = ({ faultsFlagged, falseAlarms, byKind, falseAlarmList, missedList }: ReturnType<typeof scoreBookChecks>) => ({ faultsFlagged, falseAlarms, byKind, falseAlarmList, missedList });
