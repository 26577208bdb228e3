// Where dates stand below their ruled row's first line, from a corpus's truth boxes (what the generator drew), in the
// date's line heights, measured as `day_month_lost` does (src/extract/page-doubts.ts: the median top of the three
// values nearest across the row that open their column): year-only dates written as such, against the second line of
// dates wrapped over two lines (what OCR leaves when it loses the first). The threshold must lie between the two.
// Run: node test/eval/year-line-drop.ts CORPUS_DIR…
import { loadCorpus } from '../../src/eval/corpus.ts';
import { LAYOUTS } from '../../src/extract/templates.ts';
import { LOST_LINE_DROP } from '../../src/extract/page-doubts.ts';

type Box = [number, number, number, number];
type TruthValue = { value: string; page?: number; box?: Box; boxes?: Box[] };
const drops = { 'year-only date': [] as number[], 'wrapped date, second line': [] as number[] };
for (const dir of process.argv.slice(2)) {
  const corpus = await loadCorpus(dir);
  for (const { book, truth } of corpus.books) {
    const layout = LAYOUTS[book.registerType]?.[book.era];
    if (layout?.kind !== 'table') continue;
    const firstItems = new Set(layout.columns.map((c) => c.items[0]!));
    for (const entry of truth.entries) {
      const opening = Object.entries(entry.fields as Record<string, TruthValue>).filter(([name, v]) => firstItems.has(name) && v.box);
      for (const [name, v] of opening) {
        if (!/Date$/.test(name)) continue;
        const yearOnly = /^\d{4}$/.test(v.value);
        const line = yearOnly ? v.box! : v.boxes?.length === 2 ? v.boxes[1]! : null;
        if (!line) continue;
        const centre = (b: Box) => b[0] + b[2] / 2;
        const near = opening.filter(([other, o]) => other !== name && o.page === v.page).map(([, o]) => o.box!)
          .sort((a, b) => Math.abs(centre(a) - centre(line)) - Math.abs(centre(b) - centre(line))).slice(0, 3);
        if (near.length === 0) continue;
        const tops = near.map((b) => b[1]).sort((a, b) => a - b);
        const height = yearOnly ? (v.boxes?.[0] ?? v.box!)[3] : line[3];
        drops[yearOnly ? 'year-only date' : 'wrapped date, second line'].push((line[1] - tops[Math.floor((tops.length - 1) / 2)]!) / height);
      }
    }
  }
}
for (const [kind, list] of Object.entries(drops)) {
  const sorted = list.sort((a, b) => a - b);
  const held = sorted.filter((d) => d >= LOST_LINE_DROP).length;
  console.log(`${kind.padEnd(26)} ${String(sorted.length).padStart(4)} values, drop min ${sorted[0]?.toFixed(2)} max ${sorted.at(-1)?.toFixed(2)}, at or over ${LOST_LINE_DROP}: ${held}`);
}
