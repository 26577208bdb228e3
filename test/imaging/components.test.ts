import { describe, expect, it } from 'vitest';
import { forEachComponent } from '../../src/imaging/components.ts';

/** The components of a mask drawn as text ('#' set), as [pixels, box] in visiting order. */
function components(rows: string[]): { pixels: number[]; box: [number, number, number, number] }[] {
  const width = rows[0]!.length;
  const mask = Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0));
  const found: { pixels: number[]; box: [number, number, number, number] }[] = [];
  forEachComponent(mask, width, rows.length, (pixels, box) => found.push({ pixels: [...pixels].sort((a, b) => a - b), box: [box.left, box.top, box.right, box.bottom] }));
  return found;
}

describe('forEachComponent', () => {
  it('joins diagonal neighbours (8-connected) and keeps separate shapes apart', () => {
    const found = components([
      '#...##', //
      '.#...#',
      '..#...',
      '......',
      '##..#.',
    ]);
    expect(found.map((c) => c.box)).toEqual([
      [0, 0, 2, 2], // the diagonal
      [4, 0, 5, 1],
      [0, 4, 1, 4],
      [4, 4, 4, 4],
    ]);
    expect(found[0]!.pixels).toEqual([0, 7, 14]);
    expect(found[1]!.pixels).toEqual([4, 5, 11]);
  });

  it('merges a U shape whose arms meet only at the bottom, named by its first pixel', () => {
    const found = components([
      '#.#.#', //
      '#.#.#',
      '###.#',
      '#...#',
      '#####',
    ]);
    // Three arms meet only in later rows; still one component (two merges after both started).
    expect(found).toHaveLength(1);
    expect(found[0]!.box).toEqual([0, 0, 4, 4]);
    expect(found[0]!.pixels).toHaveLength(17);
  });

  it('visits nothing on an empty mask and one component on a full one', () => {
    expect(components(['...', '...'])).toEqual([]);
    expect(components(['###', '###'])).toEqual([{ pixels: [0, 1, 2, 3, 4, 5], box: [0, 0, 2, 1] }]);
  });
});
