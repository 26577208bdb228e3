/**
 * Letters whose case a typewriter face shows only by size, and the values whose case rests on one: pure string
 * checks, kept apart from the second reading (sharp, the OCR pool) so that parsing a field does not load them.
 */
import { UNIT_KINDS_WRITTEN } from '../places/gazetteer.ts';

/** Letters whose small and capital forms are one shape in a typewriter face, only larger (their marks aside). */
export const ONE_SHAPE = new Set(['c', 'o', 's', 'v', 'w', 'x', 'z']);
export const baseLetter = (ch: string) => ch.normalize('NFD').replace(/\p{M}/gu, '');

/** Small words of one-shape letters that addresses write before a name ("thị xã Sơn Tây", "Bảo vệ Bà mẹ và Trẻ sơ sinh", "ngõ chợ Khâm Thiên"). */
const SMALL_BEFORE_NAMES = new Set(['xã', 'và', 'chợ', 'sông', 'cầu', 'số', 'cơ', 'công', 'sở']);

/** Kinds of unit written before a unit's name, in full ("thị xã" before "xã": the longer first). */
const UNIT_KIND = new RegExp(`^(?:${UNIT_KINDS_WRITTEN.join('|')})\\s`, 'iu');

/**
 * Whether a place opens with a unit's kind whose first letter is one shape either way, read as a capital ("Xã"),
 * where the same value writes another unit's kind small ("Xã Yết Kiêu, huyện Gia Lộc, Hải Hưng"): the capital is
 * only a larger glyph, which both readings may take for one (seed 3306, b08: the book types "xã", read "Xã" twice at
 * 0.99), and the value's own kinds say the writer puts them small. Read "xã", the value is in doubt already (a
 * small letter opening it); read "Xã", the image says no more, so it is in doubt alike. A value writing its kinds
 * with capitals ("Xã Hoằng Đạo, Huyện Hoằng Hóa") or none besides ("Xã Đông La, Đông Hưng") is not.
 */
function capitalUnitAmongSmall(value: string): boolean {
  const parts = value.split(/[,;]/u).map((part) => part.trim());
  const opening = UNIT_KIND.exec(parts[0] ?? '')?.[0];
  if (!opening || !/^\p{Lu}/u.test(opening) || !ONE_SHAPE.has(baseLetter(opening[0]!.toLowerCase()))) return false;
  return parts.slice(1).some((part) => UNIT_KIND.test(part) && /^\p{Ll}/u.test(part));
}

/** Kinds of unit written in two words ("thị xã", "khu phố"), as they open a part of a place. */
const TWO_WORD_KIND = new RegExp(`(?:^|[,;]\\s*)(${UNIT_KINDS_WRITTEN.filter((kind) => kind.includes(' ')).join('|')})(?=\\s)`, 'giu');

/**
 * Whether a unit's kind in two words is read with its first word small and its second opening with a one-shape
 * capital ("thị Xã Sơn Tây", seed 3372 b05, read at 0.99): no writer types a kind so, the capital is only a larger
 * glyph. "phố Xã Đàn" is a street (no kind "phố xã"), and a kind in capitals throughout ("Thị Xã") is not in doubt.
 */
function kindReadMixed(value: string): boolean {
  return [...value.matchAll(TWO_WORD_KIND)].some(([, kind]) => {
    const [first, second] = kind!.split(/\s+/u);
    return /^\p{Ll}/u.test(first!) && /^\p{Lu}/u.test(second!) && ONE_SHAPE.has(baseLetter(second![0]!.toLowerCase()));
  });
}

/**
 * Whether a value's case rests on a letter two readings cannot tell (`ONE_SHAPE`): a small one opening the value
 * ("xóm 11" for Xóm 11, read so twice on seed 3011: at a line's start, cut out alone, neither reading has letters
 * beside it to measure it against); one after the capital of an abbreviation ("Tx." for TX., seed 3111); or one
 * opening a small word between a small word and a name ("ngõ văn Chương", "Bệnh viện xanh Pôn", seeds 3111 and
 * 3014: a name's words are capitalised), unless the word is one addresses write small there (`SMALL_BEFORE_NAMES`).
 * Also a place opening with a unit's kind of such a letter read capital among kinds written small (`capitalUnitAmongSmall`),
 * and a kind in two words read small then capital (`kindReadMixed`).
 */
export function caseInDoubt(value: string): boolean {
  const small = (word: string | undefined) => word !== undefined && /^\p{Ll}/u.test(word);
  const words = value.split(' ');
  if (capitalUnitAmongSmall(value) || kindReadMixed(value)) return true;
  return words.some((word, i) => {
    const first = [...word][0] ?? '';
    if (!ONE_SHAPE.has(baseLetter(first.toLowerCase()))) return /^\p{Lu}\p{Ll}\.$/u.test(word) && ONE_SHAPE.has(baseLetter([...word][1]!));
    if (!small(word)) return false;
    if (i === 0) return true;
    return small(words[i - 1]) && !/[,;]$/.test(words[i - 1]!) && /^\p{L}+$/u.test(word) && /^\p{Lu}/u.test(words[i + 1] ?? '') && !SMALL_BEFORE_NAMES.has(word);
  });
}
