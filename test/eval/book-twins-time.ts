/**
 * Times src/extract/book-twins.ts bookTwins on a made-up book of 1,500 entries of 20 values each (one in ten held for
 * its confidence, every word spelled as records spell it, no value twinned: the most comparisons). Not a test.
 *
 *   node test/eval/book-twins-time.ts CHECKOUT
 */
const [checkout] = process.argv.slice(2);
if (!checkout) throw new Error('usage: book-twins-time.ts CHECKOUT');
const { bookTwins } = await import(`${checkout}/src/extract/book-twins.ts`);
const spelledAlways = { get: () => ({ count: () => 1, spellings: () => 1 }) };
let seed = 11;
const pick = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
const word = () => Array.from({ length: 5 }, () => 'abcdeghiklmnopqrstuvxy'[pick(22)]).join('');
const values = [];
for (let entry = 0; entry < 1500; entry++) for (let k = 0; k < 20; k++) {
  const held = pick(10) === 0;
  values.push({ id: values.length, entryId: entry, pageId: Math.floor(entry / 3), field: k % 2 ? 'fatherName' : 'fatherResidence', value: `${word()} ${word()}`,
    status: held ? 'review' : 'auto_accepted', source: 'machine', reasons: held ? ['low_confidence'] : [], box: [0, k * 40, 100, 30], typed: true, claimed: false, year: 2000, entryNo: entry });
}
const started = performance.now();
const found = bookTwins(values, new Set(), spelledAlways);
console.log(`${checkout}: ${values.length} values: ${found.length} twins in ${Math.round(performance.now() - started)} ms`);
