/** The figures a read number differs in from the nearest truth value of its length ("8→6"), or "none near". */
export function misreadOf(text: string, truth: Iterable<string>): string {
  let best: string[] | null = null;
  for (const t of truth) {
    if (t.length !== text.length) continue;
    const diff = [...t].flatMap((c, k) => (c === text[k] ? [] : [`${c}→${text[k]}`]));
    if (!best || diff.length < best.length) best = diff;
  }
  return best && best.length <= 2 ? best.join(' ') : 'none near';
}
