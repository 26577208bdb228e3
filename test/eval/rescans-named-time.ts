/**
 * Times src/extract/rescans-named.ts pagesNamedAlike on a made-up book of 300 pages of five entries, every name
 * different (no page alike: the most comparisons). Not a test.
 *
 *   node test/eval/rescans-named-time.ts CHECKOUT
 */
const [checkout] = process.argv.slice(2);
if (!checkout) throw new Error('usage: rescans-named-time.ts CHECKOUT');
const { pagesNamedAlike } = await import(`${checkout}/src/extract/rescans-named.ts`);
let seed = 7;
const rnd = () => (seed = (seed * 48271) % 2147483647);
const word = () => Array.from({ length: 6 }, () => 'abcdeghiklmnopqrstuvxy'[rnd() % 22]).join('');
const name = () => `${word()} ${word()}`;
const book = Array.from({ length: 1500 }, (_, k) => ({ id: k, pageId: 1 + Math.floor(k / 5), pageOrder: 1 + Math.floor(k / 5), names: { fullName: name(), fatherName: name(), motherName: name() } }));
const started = performance.now();
const found = pagesNamedAlike(book);
console.log(`${checkout}: 300 pages, 1,500 entries: ${found.length} pages alike in ${Math.round(performance.now() - started)} ms`);
