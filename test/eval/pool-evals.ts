// Pools per critical kind (and all fields, printed/typed fills) over several eval JSONs: accepted and wrong counts
// summed, upper bound by the project's own Wilson interval.
import { readFileSync } from 'node:fs';
import { wilson95 } from '../../src/eval/metrics/counts.ts';
const files = process.argv.slice(2);
const sums = new Map<string, { accepted: number; wrong: number; truth: number }>();
const add = (key: string, v: { truth: number; autoAcceptRate: number | null; autoAcceptedErrorRate: number | null }) => {
  const accepted = Math.round(v.truth * (v.autoAcceptRate ?? 0));
  const wrong = Math.round(accepted * (v.autoAcceptedErrorRate ?? 0));
  const s = sums.get(key) ?? { accepted: 0, wrong: 0, truth: 0 };
  sums.set(key, { accepted: s.accepted + accepted, wrong: s.wrong + wrong, truth: s.truth + v.truth });
};
let pages = 0;
for (const f of files) {
  const r = JSON.parse(readFileSync(f, 'utf8'));
  pages += r.corpus.pages;
  const all = r.fields;
  add('all fields', { truth: Object.values(all.byFill as Record<string, { truth: number }>).reduce((n, v) => n + v.truth, 0), autoAcceptRate: all.autoAcceptRate, autoAcceptedErrorRate: all.autoAcceptedErrorRate });
  for (const [k, v] of Object.entries(all.byCriticalKind)) add(`kind ${k}`, v as never);
  for (const [k, v] of Object.entries(all.byFill)) add(`fill ${k}`, v as never);
}
console.log(`${files.length} evals, ${pages} pages`);
for (const [k, s] of sums) {
  const upper = wilson95(s.wrong, s.accepted).high;
  console.log(`${k.padEnd(20)} values ${String(s.truth).padStart(6)} accepted ${String(s.accepted).padStart(6)} (${(100 * s.accepted / s.truth).toFixed(1)}%) wrong ${s.wrong} rate ${(100 * s.wrong / Math.max(1, s.accepted)).toFixed(2)}% upper ${(100 * upper).toFixed(2)}%`);
}
