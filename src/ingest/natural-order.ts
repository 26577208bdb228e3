const collator = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });

/**
 * Orders names the way people number scanned pages: `page2` before `page10`, case and accents
 * compared loosely. Used for zip members here and for folder contents by the CLI, so both agree.
 *
 * @example
 * ['page10.png', 'page2.png', 'page1.png'].sort(naturalCompare); // ['page1.png', 'page2.png', 'page10.png']
 */
export function naturalCompare(a: string, b: string): number {
  const byCollation = collator.compare(a, b);
  // The collator calls "Trang 1" and "trang 1" equal; fall back to code points so the order is total
  // and the same on every machine.
  if (byCollation !== 0) return byCollation;
  return a < b ? -1 : a > b ? 1 : 0;
}
