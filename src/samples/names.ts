/**
 * Vietnamese personal names as frequency tables (see DATA-LICENCE.md for sources): surnames, middle names
 * by sex, given names by sex and birth generation. No list of real people: a name is drawn part by part.
 */
import { swapTonePlacement } from '../text/normalise.ts';
import { nfc, type Sex } from './vietnamese.ts';
import type { Rng, Weighted } from './rng.ts';

/**
 * Surname shares (DOMAIN.md): Nguyễn 38%, Trần 12%, Lê 9.5%, Phạm 7%, Hoàng/Huỳnh 5%, then Phan, Vũ/Võ,
 * Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý. The books are from Hà Nội, so the northern Hoàng and Vũ dominate
 * their southern variants Huỳnh and Võ. The rest (~5%) is spread over less common surnames.
 */
export const SURNAMES: Weighted<string> = [
  ['Nguyễn', 38], ['Trần', 12], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 4.4], ['Huỳnh', 0.6], ['Phan', 4.5],
  ['Vũ', 3.4], ['Võ', 0.5], ['Đặng', 2.1], ['Bùi', 2], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3], ['Dương', 1],
  ['Lý', 0.5], ['Đinh', 0.9], ['Trương', 0.8], ['Đào', 0.7], ['Đoàn', 0.6], ['Vương', 0.4], ['Trịnh', 0.6],
  ['Mai', 0.4], ['Lương', 0.4], ['Tạ', 0.3], ['Chu', 0.3], ['Kiều', 0.2], ['Khuất', 0.15], ['Lại', 0.2],
  ['Nghiêm', 0.15], ['Quách', 0.15], ['Tô', 0.3], ['Cao', 0.4], ['Thân', 0.15], ['Hà', 0.4],
];

/** Regional variants of one surname (DOMAIN.md): the same family written either way. */
export const SURNAME_VARIANTS: Readonly<Record<string, string>> = { Hoàng: 'Huỳnh', Huỳnh: 'Hoàng', Vũ: 'Võ', Võ: 'Vũ' };

/** Birth generations whose naming fashions differ. */
export type Generation = 'before1945' | '1945to1974' | '1975to1999' | 'from2000';
export const generationOf = (birthYear: number): Generation =>
  birthYear < 1945 ? 'before1945' : birthYear < 1975 ? '1945to1974' : birthYear < 2000 ? '1975to1999' : 'from2000';

/** Middle names by sex and generation: "Văn" and "Thị" dominate older generations and fade later. */
const MIDDLE: Record<Generation, Record<Sex, Weighted<string>>> = {
  before1945: {
    male: [['Văn', 60], ['Đình', 8], ['Hữu', 8], ['Đức', 6], ['Xuân', 5], ['Công', 4], ['Bá', 3], ['Ngọc', 3], ['Quang', 3]],
    female: [['Thị', 88], ['Ngọc', 3], ['Thu', 3], ['Xuân', 3], ['Kim', 3]],
  },
  '1945to1974': {
    male: [['Văn', 40], ['Đức', 9], ['Minh', 8], ['Quang', 7], ['Hữu', 7], ['Đình', 6], ['Mạnh', 5], ['Xuân', 5], ['Ngọc', 4], ['Thanh', 4], ['Công', 3], ['Trọng', 2]],
    female: [['Thị', 62], ['Thu', 6], ['Thanh', 6], ['Ngọc', 5], ['Minh', 4], ['Hồng', 5], ['Kim', 4], ['Bích', 3], ['Thúy', 3], ['Lan', 2]],
  },
  '1975to1999': {
    male: [['Văn', 22], ['Minh', 12], ['Đức', 11], ['Quang', 9], ['Tuấn', 7], ['Hoàng', 6], ['Việt', 6], ['Thành', 6], ['Mạnh', 5], ['Ngọc', 5], ['Hữu', 5], ['Xuân', 3], ['Anh', 3]],
    female: [['Thị', 36], ['Thu', 10], ['Thanh', 8], ['Ngọc', 8], ['Phương', 7], ['Minh', 6], ['Thùy', 6], ['Hoài', 4], ['Kim', 4], ['Bích', 3], ['Hải', 3], ['Diệu', 2], ['Mai', 3]],
  },
  from2000: {
    male: [['Minh', 16], ['Gia', 12], ['Bảo', 10], ['Đức', 10], ['Hoàng', 8], ['Anh', 8], ['Quang', 7], ['Văn', 7], ['Đăng', 5], ['Tuấn', 5], ['Nhật', 5], ['Khánh', 4], ['Trung', 3]],
    female: [['Ngọc', 13], ['Bảo', 11], ['Khánh', 10], ['Minh', 10], ['Phương', 9], ['Thảo', 7], ['Gia', 7], ['Thị', 8], ['Hà', 6], ['Thu', 6], ['Diệp', 3], ['Tuệ', 4], ['An', 3]],
  },
};

/** Given names by sex and generation, weighted by how common they were then (tone placement as then usual). */
const GIVEN: Record<Generation, Record<Sex, Weighted<string>>> = {
  before1945: {
    male: [['Khánh', 3], ['Lộc', 3], ['Thịnh', 3], ['Phúc', 4], ['Quý', 3], ['Tư', 3], ['Cận', 2], ['Bảo', 2], ['Chấn', 2], ['Hoè', 2], ['Nhuận', 2], ['Tảo', 1], ['Ba', 3], ['Hai', 2], ['Sáu', 2], ['Toàn', 2], ['Thuận', 2], ['Tiến', 2], ['Kỳ', 1], ['Đạo', 1], ['Lục', 1], ['Thọ', 2]],
    female: [['Thuỷ', 3], ['Nhàn', 3], ['Tý', 3], ['Lụa', 3], ['Gấm', 2], ['Hoà', 3], ['Sửu', 2], ['Mão', 2], ['Đào', 3], ['Nụ', 3], ['Cúc', 3], ['Vân', 2], ['Hợi', 2], ['Tuất', 1], ['Lành', 2], ['Mận', 2], ['Ngoan', 2], ['Thoa', 2], ['Xuyến', 1]],
  },
  '1945to1974': {
    male: [['Hùng', 6], ['Dũng', 6], ['Tuấn', 5], ['Hải', 5], ['Thắng', 5], ['Sơn', 5], ['Cường', 5], ['Bình', 5], ['Trung', 4], ['Hiếu', 3], ['Toàn', 3], ['Thành', 4], ['Long', 4], ['Hoà', 3], ['Quang', 2], ['Việt', 3], ['Chiến', 3], ['Hưng', 3], ['Tiến', 3], ['Lợi', 2], ['Vinh', 3], ['Khải', 2]],
    female: [['Hà', 5], ['Lan', 5], ['Hương', 6], ['Hoa', 5], ['Mai', 5], ['Nga', 5], ['Yến', 4], ['Huyền', 3], ['Hằng', 5], ['Thuỷ', 4], ['Loan', 4], ['Dung', 4], ['Hạnh', 4], ['Liên', 4], ['Tâm', 3], ['Hiền', 3], ['Nhung', 3], ['Oanh', 2], ['Phượng', 3], ['Thoa', 2]],
  },
  '1975to1999': {
    male: [['Anh', 6], ['Huy', 5], ['Nam', 5], ['Long', 5], ['Khoa', 3], ['Quân', 4], ['Phong', 4], ['Tùng', 4], ['Hiếu', 4], ['Dũng', 4], ['Đạt', 4], ['Sơn', 4], ['Tuấn', 5], ['Trung', 4], ['Hùng', 3], ['Cường', 3], ['Hoàng', 3], ['Thắng', 3], ['Vũ', 2], ['Duy', 3], ['Thịnh', 2], ['Lâm', 2]],
    female: [['Trang', 6], ['Linh', 6], ['Thảo', 5], ['Hà', 4], ['Anh', 5], ['Ngọc', 4], ['Phương', 4], ['Huyền', 4], ['Chi', 3], ['Hằng', 4], ['Thủy', 3], ['Hương', 4], ['Nhung', 3], ['Mai', 3], ['Giang', 3], ['Loan', 2], ['Vân', 3], ['Quỳnh', 3], ['Hoà', 2], ['Yến', 3]],
  },
  from2000: {
    male: [['Khôi', 4], ['Huy', 4], ['Anh', 5], ['Nam', 4], ['Minh', 5], ['Phúc', 4], ['Khang', 4], ['Lâm', 3], ['Bảo', 3], ['Đức', 3], ['Long', 3], ['Quân', 4], ['Kiên', 3], ['Hưng', 3], ['Thịnh', 2], ['Dương', 3], ['Khánh', 3], ['Sơn', 2], ['Vinh', 2], ['Tuệ', 1]],
    female: [['Ngọc', 4], ['Linh', 5], ['An', 5], ['Hân', 4], ['Vy', 4], ['Chi', 4], ['Anh', 5], ['Nhi', 4], ['Trang', 3], ['Thư', 4], ['My', 3], ['Ngân', 3], ['Diệp', 2], ['Châu', 2], ['Khuê', 2], ['Thủy', 1], ['Hà', 3], ['Lam', 2]],
  },
};

export interface PersonName {
  surname: string;
  middle: string;
  given: string;
}
export const fullName = (n: PersonName): string => nfc([n.surname, n.middle, n.given].filter(Boolean).join(' '));

/** Draws a name for someone of this sex born in this year; `surname` fixes the family name (a child takes the father's). */
export function drawName(r: Rng, sex: Sex, birthYear: number, surname?: string): PersonName {
  const gen = generationOf(birthYear);
  const given = r.weighted(GIVEN[gen][sex]);
  let middle = r.weighted(MIDDLE[gen][sex]);
  // younger generations sometimes carry two middle names ("Nguyễn Ngọc Bảo Anh") or the mother's surname
  if (gen === 'from2000' && r.chance(0.12)) middle = `${middle} ${r.weighted(MIDDLE[gen][sex])}`;
  if (middle.split(' ').includes(given)) middle = sex === 'male' ? 'Văn' : 'Thị';
  return { surname: surname ?? r.weighted(SURNAMES), middle, given };
}

/**
 * A spelling of the same person's name as a later clerk might write it: the other tone placement, the
 * regional surname variant, a dropped second middle name. Returns the name unchanged when none applies.
 */
export function spellingVariant(r: Rng, n: PersonName): PersonName {
  const options: (() => PersonName)[] = [];
  if (swapTonePlacement(n.given) !== n.given) options.push(() => ({ ...n, given: swapTonePlacement(n.given) }));
  if (swapTonePlacement(n.middle) !== n.middle) options.push(() => ({ ...n, middle: swapTonePlacement(n.middle) }));
  const variant = SURNAME_VARIANTS[n.surname];
  if (variant) options.push(() => ({ ...n, surname: variant }));
  if (n.middle.includes(' ')) options.push(() => ({ ...n, middle: n.middle.split(' ')[0] ?? n.middle }));
  return options.length ? r.pick(options)() : n;
}

/** Names of a book kept unique: no full name twice, and given names repeated only when the pool runs dry. */
export class BookNames {
  private readonly used = new Set<string>();
  private readonly r: Rng;
  constructor(r: Rng) {
    this.r = r;
  }
  draw(sex: Sex, birthYear: number, surname?: string): PersonName {
    let name = drawName(this.r, sex, birthYear, surname);
    for (let k = 0; k < 40 && (this.used.has(fullName(name)) || (k < 25 && this.used.has(`given:${name.given}`))); k++) {
      name = drawName(this.r, sex, birthYear, surname);
    }
    this.used.add(fullName(name));
    this.used.add(`given:${name.given}`);
    return name;
  }
}
