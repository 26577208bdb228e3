/**
 * Generates the bundled `samples/` corpus: a few small, realistic scans of Vietnamese civil-status register
 * pages (sổ hộ tịch) with exact ground truth in the EVALUATION.md truth format.
 *
 *   npx node scripts/make-samples.ts            # rewrites samples/ (images, truth.json, manifest.json)
 *   npx node scripts/make-samples.ts --out DIR  # writes elsewhere (e.g. to diff against the committed copy)
 *
 * Deterministic: one seeded PRNG (mulberry32) drives every choice; no Math.random, no clock. The same fonts
 * (see FONTS below) give byte-identical output. Structure:
 *   1. PRNG and Vietnamese text helpers (dates in words, ID numbers)
 *   2. Name and place data, per era (data, not code: correct it here)
 *   3. Record generators: one per register type, producing display text + normalised truth values
 *   4. Layout templates as data: form layouts (label + value rows) and a ruled-table layout
 *   5. Renderer: draws text in print / typed / hand styles and records true ink boxes from the text metrics
 *   6. Page effects (paper, noise, skew) and encoders (JPEG, PDF, multi-page TIFF, PNG)
 *   7. Book specs, truth writer, manifest writer, main
 */
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { deflateSync } from 'node:zlib';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 19_750_315;

// ───────────────────────────── 1. PRNG and text helpers ─────────────────────────────

/** xs[i] for an index the code guarantees; throws rather than returning undefined. */
function at<T>(xs: ArrayLike<T>, i: number): T {
  const v = xs[i];
  if (v === undefined) throw new Error(`index ${i} out of range (${xs.length})`);
  return v;
}

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** mulberry32: uniform in [0, 1) */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }
  pick<T>(xs: readonly T[]): T {
    return at(xs, Math.floor(this.next() * xs.length));
  }
  weighted<T>(xs: readonly (readonly [T, number])[]): T {
    const total = xs.reduce((a, [, w]) => a + w, 0);
    let r = this.next() * total;
    for (const [x, w] of xs) {
      r -= w;
      if (r < 0) return x;
    }
    return at(xs, xs.length - 1)[0];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** approx. normal(0, 1) */
  gauss(): number {
    return this.next() + this.next() + this.next() + this.next() - 2;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  /** Draws without replacement, refilling when empty: variety without clumps in a short book. */
  bag<T>(xs: readonly T[]): () => T {
    let pool: T[] = [];
    return () => {
      if (pool.length === 0) {
        pool = xs.slice();
        for (let i = pool.length - 1; i > 0; i--) {
          const j = Math.floor(this.next() * (i + 1));
          [pool[i], pool[j]] = [at(pool, j), at(pool, i)];
        }
      }
      return pool.pop()!;
    };
  }
  fork(label: string): Rng {
    let h = this.s ^ 0x9e3779b9;
    for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    return new Rng(h);
  }
}

const nfc = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

type YMD = { y: number; m: number; d: number };
const pad2 = (n: number) => String(n).padStart(2, '0');
const iso = (t: YMD) => `${t.y}-${pad2(t.m)}-${pad2(t.d)}`;
const dayNo = (t: YMD) => Date.UTC(t.y, t.m - 1, t.d) / 86_400_000;
const fromDayNo = (n: number): YMD => {
  const d = new Date(n * 86_400_000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
};
const addDays = (t: YMD, n: number) => fromDayNo(dayNo(t) + n);
const randDate = (r: Rng, from: YMD, to: YMD) => fromDayNo(r.int(dayNo(from), dayNo(to)));
const dmyPadded = (t: YMD) => `${pad2(t.d)}/${pad2(t.m)}/${t.y}`;
const dmyLoose = (t: YMD) => `${t.d}/${t.m}/${t.y}`;

const DIGIT_WORDS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
function twoDigitWords(n: number): string {
  if (n < 10) return at(DIGIT_WORDS, n);
  const t = Math.floor(n / 10);
  const u = n % 10;
  const head = t === 1 ? 'mười' : `${at(DIGIT_WORDS, t)} mươi`;
  if (u === 0) return head;
  const unit = u === 5 ? 'lăm' : t > 1 && u === 1 ? 'mốt' : t > 1 && u === 4 ? 'tư' : at(DIGIT_WORDS, u);
  return `${head} ${unit}`;
}
function threeDigitWords(n: number, forceHundreds: boolean): string {
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (h === 0 && !forceHundreds) return twoDigitWords(rest);
  const head = `${at(DIGIT_WORDS, h)} trăm`;
  if (rest === 0) return head;
  return rest < 10 ? `${head} linh ${at(DIGIT_WORDS, rest)}` : `${head} ${twoDigitWords(rest)}`;
}
/** 0..9999 in words, as written on civil-status forms ("hai nghìn không trăm linh năm"). */
function numberWords(n: number): string {
  const th = Math.floor(n / 1000);
  const rest = n % 1000;
  if (th === 0) return threeDigitWords(rest, false);
  const head = `${at(DIGIT_WORDS, th)} nghìn`;
  return rest === 0 ? head : `${head} ${threeDigitWords(rest, true)}`;
}
const MONTH_WORDS = ['', 'một', 'hai', 'ba', 'tư', 'năm', 'sáu', 'bảy', 'tám', 'chín', 'mười', 'mười một', 'mười hai'];
const dateWords = (t: YMD) => `ngày ${twoDigitWords(t.d)} tháng ${at(MONTH_WORDS, t.m)} năm ${numberWords(t.y)}`;
const capFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** 12-digit personal ID: province (001 = Hà Nội) + century/sex digit + 2-digit birth year + 6 digits. */
function personalId(r: Rng, province: string, sex: Sex, birthYear: number): string {
  const century = birthYear >= 2000 ? 2 : 0;
  const sexDigit = century + (sex === 'female' ? 1 : 0);
  return `${province}${sexDigit}${String(birthYear % 100).padStart(2, '0')}${r.digits(6)}`;
}

// ───────────────────────────── 2. Names and places (data) ─────────────────────────────

type Sex = 'male' | 'female';
const SEX_TEXT: Record<Sex, string> = { male: 'Nam', female: 'Nữ' };

const SURNAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38], ['Trần', 12], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 4.5], ['Phan', 4.5], ['Vũ', 3.9],
  ['Đặng', 2.1], ['Bùi', 2], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3], ['Dương', 1], ['Lý', 0.5],
];
/** middle and given names by generation (birth decade) and sex; tone placement as commonly written then */
const NAME_POOLS = {
  old: {
    male: { middle: ['Văn', 'Văn', 'Văn', 'Đình', 'Hữu', 'Đức', 'Xuân'], given: ['Khánh', 'Lộc', 'Thịnh', 'Phúc', 'Quý', 'Tư', 'Cận', 'Bảo', 'Chấn', 'Hoè', 'Nhuận', 'Tảo'] },
    female: { middle: ['Thị', 'Thị', 'Thị', 'Thị'], given: ['Thuỷ', 'Nhàn', 'Tý', 'Lụa', 'Gấm', 'Hoà', 'Sửu', 'Mão', 'Đào', 'Nụ', 'Cúc', 'Vân'] },
  },
  mid: {
    male: { middle: ['Văn', 'Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Mạnh', 'Xuân', 'Ngọc'], given: ['Hùng', 'Dũng', 'Tuấn', 'Hải', 'Thắng', 'Sơn', 'Cường', 'Bình', 'Trung', 'Hiếu', 'Toàn', 'Thành', 'Long'] },
    female: { middle: ['Thị', 'Thị', 'Thu', 'Thanh', 'Ngọc', 'Minh', 'Hồng'], given: ['Hà', 'Lan', 'Hương', 'Hoa', 'Mai', 'Nga', 'Yến', 'Huyền', 'Hằng', 'Thủy', 'Loan', 'Dung', 'Hạnh'] },
  },
  young: {
    male: { middle: ['Minh', 'Đức', 'Quang', 'Tuấn', 'Hoàng', 'Việt', 'Văn', 'Thành'], given: ['Anh', 'Huy', 'Nam', 'Long', 'Khoa', 'Quân', 'Phong', 'Tùng', 'Hiếu', 'Dũng', 'Đạt', 'Sơn'] },
    female: { middle: ['Thu', 'Thị', 'Phương', 'Ngọc', 'Thanh', 'Hoài', 'Thùy', 'Minh'], given: ['Trang', 'Linh', 'Thảo', 'Hà', 'Anh', 'Ngọc', 'Phương', 'Huyền', 'Chi', 'Hằng'] },
  },
  kids2018: {
    male: { middle: ['Minh', 'Gia', 'Bảo', 'Đức', 'Hoàng', 'Anh', 'Quang'], given: ['Khôi', 'Huy', 'Anh', 'Nam', 'Minh', 'Phúc', 'Khang', 'Lâm'] },
    female: { middle: ['Bảo', 'Khánh', 'Ngọc', 'Minh', 'Gia', 'Phương', 'Thảo'], given: ['Ngọc', 'Linh', 'An', 'Hân', 'Vy', 'Chi', 'Anh', 'Nhi'] },
  },
} as const;
type Generation = keyof typeof NAME_POOLS;
const generationOf = (birthYear: number): Generation =>
  birthYear < 1945 ? 'old' : birthYear < 1975 ? 'mid' : birthYear < 2010 ? 'young' : 'kids2018';

function personName(r: Rng, sex: Sex, birthYear: number, surname?: string): string {
  const pool = NAME_POOLS[generationOf(birthYear)][sex];
  const sur = surname ?? r.weighted(SURNAMES);
  return nfc(`${sur} ${r.pick(pool.middle)} ${r.pick(pool.given)}`);
}
const surnameOf = (name: string) => name.split(' ')[0];

/** Names for one book: no full name and (where possible) no given name twice. */
class NameBook {
  private readonly used = new Set<string>();
  private readonly r: Rng;
  constructor(r: Rng) {
    this.r = r;
  }
  get(sex: Sex, birthYear: number, surname?: string): string {
    let name = '';
    for (let k = 0; k < 60; k++) {
      name = personName(this.r, sex, birthYear, surname);
      const given = name.split(' ').pop()!;
      if (!this.used.has(name) && (k > 40 || !this.used.has(`given:${given}`))) break;
    }
    this.used.add(name);
    this.used.add(`given:${name.split(' ').pop()}`);
    return name;
  }
}

/**
 * Places as written in the year of registration (Hà Nội). 1975: inner districts were "khu phố" with
 * "tiểu khu" below them (renamed quận / phường in 1981); 1999: Hoàng Mai and Long Biên did not yet exist
 * (2003); 2010: Hà Tây merged into Hà Nội (2008), Hà Đông is a quận; 2018: Nam/Bắc Từ Liêm exist (2014).
 */
const PLACES = {
  1975: {
    streets: ['phố Lò Đúc', 'phố Huế', 'phố Bạch Mai', 'phố Hàng Chuối', 'phố Hoà Mã', 'phố Ngô Thì Nhậm', 'phố Lê Văn Hưu', 'phố Minh Khai'],
    district: 'khu phố Hai Bà Trưng',
    deathPlaces: ['Bệnh viện Bạch Mai', 'Bệnh viện Việt Đức', 'Bệnh viện Thanh Nhàn', 'tại nhà riêng'],
    causes: ['Già yếu', 'Lao phổi', 'Ung thư gan', 'Cao huyết áp', 'Viêm phổi', 'Bệnh tim', 'Sốt rét'],
  },
  1999: {
    addresses: ['Số 12 ngõ 105 Bạch Mai', 'Số 7 ngõ Quỳnh', 'Số 41 phố Lê Thanh Nghị', 'Số 3 ngách 28 ngõ Trại Cá', 'Số 19 phố Tạ Quang Bửu', 'Số 66 phố Bạch Mai'],
    ward: 'P. Bạch Mai', district: 'Q. Hai Bà Trưng',
    otherWards: ['P. Trương Định, Q. Hai Bà Trưng', 'P. Quỳnh Lôi, Q. Hai Bà Trưng', 'P. Kim Liên, Q. Đống Đa'],
    birthPlaces: ['Bệnh viện Phụ sản Hà Nội', 'Viện Bảo vệ Bà mẹ và Trẻ sơ sinh', 'Bệnh viện Bạch Mai', 'Bệnh viện Thanh Nhàn'],
    hometowns: ['Hải Hậu, Nam Định', 'Đông Hưng, Thái Bình', 'Thường Tín, Hà Tây', 'Gia Lâm, Hà Nội', 'Kim Bảng, Hà Nam', 'Ý Yên, Nam Định', 'Từ Liêm, Hà Nội'],
  },
  2010: {
    residences: [
      'Số 15 ngõ 165 Cầu Giấy, P. Dịch Vọng, Q. Cầu Giấy, Hà Nội', 'Số 8 ngõ 68 Xuân Thủy, P. Dịch Vọng Hậu, Q. Cầu Giấy, Hà Nội',
      'Phòng 402 nhà B4, P. Kim Liên, Q. Đống Đa, Hà Nội', 'Số 23 Nguyễn Trãi, P. Thượng Đình, Q. Thanh Xuân, Hà Nội',
      'Tổ 9, P. Vạn Phúc, Q. Hà Đông, Hà Nội', 'Số 5 ngõ 12 Nguyễn Văn Cừ, P. Gia Thụy, Q. Long Biên, Hà Nội',
      'Thôn Phú Mỹ, X. Mỹ Đình, H. Từ Liêm, Hà Nội', 'Số 47 Trần Duy Hưng, P. Trung Hòa, Q. Cầu Giấy, Hà Nội',
      'Xóm 3, X. Hải Anh, H. Hải Hậu, T. Nam Định', 'Thôn Đông, X. Đông La, H. Đông Hưng, T. Thái Bình',
    ],
  },
  2018: {
    residences: [
      'Số 9 ngõ 2 Phúc La, P. Phúc La, Q. Hà Đông, Hà Nội', 'P1205 tòa CT2, P. Mộ Lao, Q. Hà Đông, Hà Nội',
      'Số 31 Tô Hiệu, P. Nguyễn Trãi, Q. Hà Đông, Hà Nội', 'Tổ 5, P. Mỹ Đình 1, Q. Nam Từ Liêm, Hà Nội',
    ],
    birthPlaces: ['Bệnh viện Phụ sản Hà Nội', 'Bệnh viện Phụ sản Trung ương', 'Bệnh viện Đa khoa Hà Đông'],
    hometowns: [
      'Xã Phùng Xá, Huyện Thạch Thất, Thành phố Hà Nội', 'Xã Hải Anh, Huyện Hải Hậu, Tỉnh Nam Định',
      'Xã Đông La, Huyện Đông Hưng, Tỉnh Thái Bình', 'Phường Vạn Phúc, Quận Hà Đông, Thành phố Hà Nội',
    ],
  },
} as const;

// ───────────────────────────── 3. Records ─────────────────────────────

/** One printed/written item of an entry. `value` set ⇒ it is a truth field named by its item key. */
type Item = { text: string; value?: string; hand?: boolean };
type NoteTruth = { kind: string; field: string; old: string; new: string; date: string };
type Rec = { entryNo: number; year: number; items: Record<string, Item>; notes?: NoteTruth[] };

const txt = (text: string): Item => ({ text: nfc(text) });
const fld = (text: string, value: string = text): Item => ({ text: nfc(text), value: nfc(value) });

/**
 * Registration dates of n consecutive entries of a book: entry numbers restart each year and follow the
 * registration order, so consecutive entries are a few days apart (the office's yearly volume sets where
 * in the year an entry number falls).
 */
function registrations(r: Rng, first: YMD, n: number, maxGapDays: number): YMD[] {
  const out: YMD[] = [first];
  while (out.length < n) out.push(addDays(at(out, out.length - 1), r.int(0, maxGapDays)));
  return out;
}

function birth1999Records(r: Rng, firstNo: number, n: number): Rec[] {
  const P = PLACES[1999];
  // Phường Bạch Mai registered ~400 births a year: entry 145 falls in early May
  const raw = registrations(r, { y: 1999, m: 5, d: 4 }, n, 3).map((reg) => ({ reg, birth: addDays(reg, -r.int(6, 50)) }));
  const names = new NameBook(r);
  const sexes = r.bag<Sex>(['male', 'female']);
  const address = r.bag(P.addresses);
  const birthPlace = r.bag(P.birthPlaces);
  const hometown = r.bag(P.hometowns);
  const declarants = r.bag(['Cha', 'Cha', 'Mẹ', 'Bà nội'] as const);
  return raw.map(({ birth, reg }, i) => {
    const sex = sexes();
    const fatherYear = 1999 - r.int(24, 36);
    const motherYear = Math.min(1999 - 20, fatherYear + r.int(-2, 7));
    const father = names.get('male', fatherYear);
    const mother = names.get('female', motherYear);
    const child = names.get(sex, 1999, surnameOf(father));
    const addr = `${address()}, ${P.ward}, ${P.district}`;
    const motherAddr = r.chance(0.8) ? addr : `${address()}, ${r.pick(P.otherWards)}`;
    const declarant = declarants();
    const declarantName =
      declarant === 'Cha' ? father : declarant === 'Mẹ' ? mother : names.get('female', fatherYear - r.int(22, 30)); // bà nội: the father's mother
    const registrar = i % 2 === 0 ? 'Trần Thị Lan' : 'Đỗ Văn Minh';
    const items: Record<string, Item> = {
      entryNo: txt(String(firstNo + i)),
      bookNo: txt('01'),
      fullName: fld(child),
      birthDate: fld(dmyPadded(birth), iso(birth)),
      birthDateWords: txt(capFirst(dateWords(birth))),
      sex: fld(SEX_TEXT[sex], sex),
      ethnicity: fld('Kinh'),
      nationality: fld('Việt Nam'),
      birthPlace: fld(birthPlace()),
      hometown: fld(hometown()),
      fatherName: fld(father),
      fatherBirthYear: fld(String(fatherYear)),
      fatherEthnicity: fld('Kinh'),
      fatherNationality: fld('Việt Nam'),
      fatherResidence: fld(addr),
      motherName: fld(mother),
      motherBirthYear: fld(String(motherYear)),
      motherEthnicity: fld('Kinh'),
      motherNationality: fld('Việt Nam'),
      motherResidence: fld(motherAddr),
      declarantName: fld(declarantName),
      declarantRelation: fld(declarant),
      registrationDate: fld(dmyPadded(reg), iso(reg)),
      registrarName: fld(registrar),
    };
    return { entryNo: firstNo + i, year: 1999, items };
  });
}

/**
 * A later hand-written margin correction of a mistyped birth date (one digit of the day wrong) on the first
 * entry from `from` on where the wrong date is still before registration. The page keeps what was typed.
 */
function addBirthDateCorrection(recs: Rec[], from: number, decisionNo: string, decided: YMD): void {
  for (const rec of recs.slice(from)) {
    const trueIso = rec.items.birthDate?.value;
    const registered = rec.items.registrationDate?.value;
    if (!trueIso || !registered) continue;
    const [y, m, d] = trueIso.split('-').map(Number) as [number, number, number];
    const typed: YMD = { y, m, d: d >= 10 ? d - 10 : d + 10 };
    if (typed.d < 1 || iso(typed) >= registered) continue;
    rec.items.birthDate = fld(dmyPadded(typed), iso(typed));
    rec.items.birthDateWords = txt(capFirst(dateWords(typed)));
    const note = `Cải chính ngày sinh thành ${dmyPadded({ y, m, d })} theo QĐ số ${decisionNo} ngày ${dmyLoose(decided)}`;
    rec.items.notes = { ...fld(note), hand: true };
    rec.notes = [{ kind: 'correction', field: 'birthDate', old: iso(typed), new: trueIso, date: iso(decided) }];
    return;
  }
  throw new Error('no entry suits the correction');
}

function death1975Records(r: Rng, firstNo: number, n: number): Rec[] {
  const P = PLACES[1975];
  // a few deaths a week reached this register: entry 31 falls in mid-March
  const raw = registrations(r, { y: 1975, m: 3, d: 14 }, n, 4).map((reg) => ({ reg, death: addDays(reg, -r.int(1, 9)) }));
  const names = new NameBook(r);
  const sexes = r.bag<Sex>(['male', 'female', 'male']);
  const street = r.bag(P.streets);
  const deathPlace = r.bag(P.deathPlaces);
  const cause = r.bag(P.causes);
  return raw.map(({ death, reg }, i) => {
    const sex = sexes();
    const age = r.int(48, 88);
    const birthYear = 1975 - age;
    const name = names.get(sex, birthYear);
    const fullBirthDate = r.chance(0.35);
    const birth = randDate(r, { y: birthYear, m: 1, d: 1 }, { y: birthYear, m: 12, d: 28 });
    const residence = `Số ${r.int(2, 96)} ${street()}, ${P.district}`;
    const place = deathPlace();
    const atHome = place === 'tại nhà riêng';
    const hh = r.int(0, 23);
    const mm = r.pick([0, 5, 10, 15, 20, 30, 40, 45, 50]);
    const relation = r.weighted(
      (sex === 'male'
        ? [['con trai', 4], ['vợ', 2], ['con gái', 2], ['cháu', 1]]
        : [['con trai', 4], ['chồng', 2], ['con gái', 2], ['cháu', 1]]) as [string, number][],
    );
    const declarantSex: Sex = relation === 'con trai' || relation === 'chồng' ? 'male' : relation === 'cháu' ? 'male' : 'female';
    const declarantYear =
      relation === 'vợ' || relation === 'chồng' ? birthYear + r.int(-3, 5) : birthYear + r.int(22, 40) + (relation === 'cháu' ? 22 : 0);
    // children (and a son's children) carry the father's surname; a wife or husband keeps their own
    const declarantSurname = relation !== 'vợ' && relation !== 'chồng' && sex === 'male' ? surnameOf(name) : undefined;
    const declarant = names.get(declarantSex, declarantYear, declarantSurname);
    const items: Record<string, Item> = {
      entryNo: txt(String(firstNo + i)),
      fullName: fld(name),
      sex: fld(SEX_TEXT[sex], sex),
      birthDate: fullBirthDate ? fld(dmyLoose(birth), iso(birth)) : fld(`${birthYear}`, `${birthYear}`),
      ethnicity: fld('Kinh'),
      nationality: fld('Việt Nam'),
      residence: fld(residence),
      deathTime: fld(`${hh} giờ ${mm === 0 ? '' : `${mm} phút`}`.trim(), `${pad2(hh)}:${pad2(mm)}`),
      deathDate: fld(`ngày ${dmyLoose(death)}`, iso(death)),
      ...(i % 2 === 0 ? { deathDateWords: txt(`(${dateWords(death)})`) } : {}),
      deathPlace: fld(place),
      deathCause: fld(cause()),
      declarantName: fld(declarant),
      declarantRelation: fld(relation),
      registrationDate: fld(dmyLoose(reg), iso(reg)),
      registrarName: fld(i < 4 ? 'Lê Thị Xuân' : 'Vũ Đình Khải'),
    };
    if (!atHome) items.deathNoticeRef = fld(`Số ${r.int(12, 480)}/GBT`);
    return { entryNo: firstNo + i, year: 1975, items };
  });
}

function marriage2010Records(r: Rng, firstNo: number, n: number): Rec[] {
  const P = PLACES[2010];
  // ~300 marriages a year: entry 187 falls in mid-August
  const raw = registrations(r, { y: 2010, m: 8, d: 16 }, n, 4).map((reg) => ({ reg }));
  const names = new NameBook(r);
  const residence = r.bag(P.residences);
  return raw.map(({ reg }, i) => {
    const hb = randDate(r, { y: 1978, m: 1, d: 1 }, { y: 1986, m: 12, d: 31 });
    const wb = randDate(r, { y: hb.y, m: 1, d: 1 }, { y: 1989, m: 12, d: 31 });
    const husband = names.get('male', hb.y);
    const wife = names.get('female', wb.y);
    const hRes = residence();
    const wRes = r.chance(0.25) ? hRes : residence();
    const cmnd = (res: string) => (res.includes('Nam Định') ? '16' : res.includes('Thái Bình') ? '15' : '01') + r.digits(7);
    const items: Record<string, Item> = {
      entryNo: txt(String(firstNo + i)),
      bookNo: txt('01/2010'),
      husbandName: fld(husband),
      husbandBirthDate: fld(dmyPadded(hb), iso(hb)),
      husbandEthnicity: fld('Kinh'),
      husbandNationality: fld('Việt Nam'),
      husbandResidence: fld(hRes),
      husbandIdNumber: fld(cmnd(hRes)),
      wifeName: fld(wife),
      wifeBirthDate: fld(dmyPadded(wb), iso(wb)),
      wifeEthnicity: fld('Kinh'),
      wifeNationality: fld('Việt Nam'),
      wifeResidence: fld(wRes),
      wifeIdNumber: fld(cmnd(wRes)),
      registrationDate: fld(dmyPadded(reg), iso(reg)),
      registrarName: fld('Phạm Thu Hằng'),
    };
    return { entryNo: firstNo + i, year: 2010, items };
  });
}

function birth2018Records(r: Rng, firstNo: number, n: number): Rec[] {
  const P = PLACES[2018];
  // Phường Mộ Lao registered ~600 births a year: entry 212 falls in mid-May
  const raw = registrations(r, { y: 2018, m: 5, d: 14 }, n, 2).map((reg) => ({ reg, birth: addDays(reg, -r.int(5, 45)) }));
  const names = new NameBook(r);
  const residence = r.bag(P.residences);
  const birthPlace = r.bag(P.birthPlaces);
  const hometown = r.bag(P.hometowns);
  return raw.map(({ birth, reg }, i) => {
    const sex: Sex = i % 2 === 0 ? 'female' : 'male';
    const motherYear = 2018 - r.int(23, 34);
    const fatherYear = motherYear - r.int(0, 6);
    const father = names.get('male', fatherYear);
    const mother = names.get('female', motherYear);
    const child = names.get(sex, 2018, surnameOf(father));
    const res = residence();
    const declarant = r.chance(0.7) ? 'Cha' : 'Mẹ';
    const items: Record<string, Item> = {
      entryNo: txt(String(firstNo + i)),
      bookNo: txt('01/2018'),
      fullName: fld(child),
      birthDate: fld(dmyPadded(birth), iso(birth)),
      birthDateWords: txt(capFirst(dateWords(birth))),
      sex: fld(SEX_TEXT[sex], sex),
      ethnicity: fld('Kinh'),
      nationality: fld('Việt Nam'),
      birthPlace: fld(birthPlace()),
      hometown: fld(hometown()),
      idNumber: fld(personalId(r, '001', sex, 2018)),
      motherName: fld(mother),
      motherBirthYear: fld(String(motherYear)),
      motherEthnicity: fld('Kinh'),
      motherNationality: fld('Việt Nam'),
      motherResidence: fld(res),
      fatherName: fld(father),
      fatherBirthYear: fld(String(fatherYear)),
      fatherEthnicity: fld('Kinh'),
      fatherNationality: fld('Việt Nam'),
      fatherResidence: fld(res),
      declarantName: fld(declarant === 'Cha' ? father : mother),
      declarantRelation: fld(declarant),
      registrationDate: fld(dmyPadded(reg), iso(reg)),
      registrarName: fld('Nguyễn Thị Thanh Tâm'),
    };
    return { entryNo: firstNo + i, year: 2018, items };
  });
}

// ───────────────────────────── 4. Layout templates (data) ─────────────────────────────

type InkName = 'label' | 'labelBold' | 'value' | 'hand' | 'title' | 'header';
type Ink = { family: string; sizePt: number; bold?: boolean; italic?: boolean; colour: string; mode: 'print' | 'typed' | 'hand' };

/** A cell of a form row: a printed label then the item's value. x is a fraction of the content width. */
type Cell = { label?: string; item?: string; x: number; labelInk?: InkName };
type FormRow = { cells: Cell[]; indentMm?: number; gapBeforeMm?: number; signatures?: boolean };
type TitleLine = { text: string; align: 'left' | 'center' | 'right'; ink: InkName; sizePt?: number; yMm: number };

type FormTemplate = {
  kind: 'form';
  pageMm: [number, number];
  marginMm: { left: number; right: number; top: number };
  pitchMm: number; // baseline to baseline
  entryGapMm: number;
  leaders: boolean; // pre-printed dotted leader lines after each label
  separator: boolean; // printed rule between entries
  inks: Partial<Record<InkName, Ink>>;
  titles: (page: number, year: number) => TitleLine[];
  footer?: (page: number) => TitleLine;
  rows: FormRow[];
};

type Column = { header: string; widthMm: number; items: string[] };
type TableTemplate = {
  kind: 'table';
  pageMm: [number, number];
  marginMm: { left: number; right: number; top: number };
  headerHeightMm: number;
  pitchMm: number;
  rowPadMm: number;
  inks: Partial<Record<InkName, Ink>>;
  titles: (page: number, year: number) => TitleLine[];
  columns: Column[];
  signatureAfter: string; // item key after which the registrar signs
};

const SERIF = 'Liberation Serif';
const MONO = 'FreeMono';
const HAND = 'Patrick Hand';

/** 1999–2005 pre-printed birth register (Decision 1203/1998 style): printed labels, dotted leaders, typed values. */
const BIRTH_1999_FORM: FormTemplate = {
  kind: 'form',
  pageMm: [210, 297],
  marginMm: { left: 17, right: 14, top: 14 },
  pitchMm: 6.45,
  entryGapMm: 5,
  leaders: true,
  separator: true,
  inks: {
    label: { family: SERIF, sizePt: 12.5, colour: '#1d1b19', mode: 'print' },
    labelBold: { family: SERIF, sizePt: 12.5, bold: true, colour: '#1d1b19', mode: 'print' },
    value: { family: MONO, sizePt: 14, colour: '#151515', mode: 'typed' },
    hand: { family: HAND, sizePt: 12.5, colour: '#1c2a63', mode: 'hand' },
    title: { family: SERIF, sizePt: 15, bold: true, colour: '#1d1b19', mode: 'print' },
    header: { family: SERIF, sizePt: 11, bold: true, colour: '#1d1b19', mode: 'print' },
  },
  titles: (_page, year) => [
    { text: 'UBND PHƯỜNG BẠCH MAI', align: 'left', ink: 'header', yMm: 14 },
    { text: 'QUẬN HAI BÀ TRƯNG', align: 'left', ink: 'header', yMm: 19 },
    { text: 'SỔ ĐĂNG KÝ KHAI SINH', align: 'center', ink: 'title', yMm: 28 },
    { text: `Năm ${year}`, align: 'right', ink: 'label', yMm: 19 },
  ],
  footer: (page) => ({ text: `Trang ${23 + page}`, align: 'center', ink: 'label', yMm: 289 }),
  rows: [
    { cells: [{ label: 'Số:', item: 'entryNo', x: 0, labelInk: 'labelBold' }, { label: 'Quyển số:', item: 'bookNo', x: 0.6, labelInk: 'labelBold' }] },
    { cells: [{ label: 'Họ và tên:', item: 'fullName', x: 0 }] },
    { cells: [{ label: 'Ngày, tháng, năm sinh:', item: 'birthDate', x: 0 }, { label: 'Giới tính:', item: 'sex', x: 0.64 }] },
    { cells: [{ label: 'Bằng chữ:', item: 'birthDateWords', x: 0 }], indentMm: 8 },
    { cells: [{ label: 'Dân tộc:', item: 'ethnicity', x: 0 }, { label: 'Quốc tịch:', item: 'nationality', x: 0.46 }] },
    { cells: [{ label: 'Nơi sinh:', item: 'birthPlace', x: 0 }] },
    { cells: [{ label: 'Quê quán:', item: 'hometown', x: 0 }] },
    { cells: [{ label: 'Họ và tên cha:', item: 'fatherName', x: 0 }, { label: 'Năm sinh:', item: 'fatherBirthYear', x: 0.66 }] },
    { cells: [{ label: 'Dân tộc:', item: 'fatherEthnicity', x: 0 }, { label: 'Quốc tịch:', item: 'fatherNationality', x: 0.46 }], indentMm: 8 },
    { cells: [{ label: 'Nơi cư trú:', item: 'fatherResidence', x: 0 }], indentMm: 8 },
    { cells: [{ label: 'Họ và tên mẹ:', item: 'motherName', x: 0 }, { label: 'Năm sinh:', item: 'motherBirthYear', x: 0.66 }] },
    { cells: [{ label: 'Dân tộc:', item: 'motherEthnicity', x: 0 }, { label: 'Quốc tịch:', item: 'motherNationality', x: 0.46 }], indentMm: 8 },
    { cells: [{ label: 'Nơi cư trú:', item: 'motherResidence', x: 0 }], indentMm: 8 },
    { cells: [{ label: 'Người đi khai:', item: 'declarantName', x: 0 }] },
    { cells: [{ label: 'Quan hệ với người được khai sinh:', item: 'declarantRelation', x: 0 }], indentMm: 8 },
    { cells: [{ label: 'Ngày đăng ký:', item: 'registrationDate', x: 0 }, { label: 'Cán bộ hộ tịch:', item: 'registrarName', x: 0.45 }] },
    { cells: [{ label: 'Ghi chú:', item: 'notes', x: 0 }] },
  ],
};

/** 2006–2015 computer-printed marriage register (Decree 158/2005 era). */
const MARRIAGE_2010_FORM: FormTemplate = {
  kind: 'form',
  pageMm: [210, 297],
  marginMm: { left: 20, right: 15, top: 15 },
  pitchMm: 6.7,
  entryGapMm: 9,
  leaders: false,
  separator: true,
  inks: {
    label: { family: SERIF, sizePt: 12.5, colour: '#111111', mode: 'print' },
    labelBold: { family: SERIF, sizePt: 12.5, bold: true, colour: '#111111', mode: 'print' },
    value: { family: SERIF, sizePt: 13, colour: '#0b0b0b', mode: 'print' },
    hand: { family: HAND, sizePt: 13, colour: '#1b2560', mode: 'hand' },
    title: { family: SERIF, sizePt: 15, bold: true, colour: '#111111', mode: 'print' },
    header: { family: SERIF, sizePt: 12, bold: true, colour: '#111111', mode: 'print' },
  },
  titles: (_page, year) => [
    { text: 'UBND PHƯỜNG DỊCH VỌNG - QUẬN CẦU GIẤY', align: 'left', ink: 'header', yMm: 15 },
    { text: `SỔ ĐĂNG KÝ KẾT HÔN - NĂM ${year}`, align: 'center', ink: 'title', yMm: 25 },
  ],
  footer: (page) => ({ text: `${41 + page}`, align: 'right', ink: 'label', yMm: 288 }),
  rows: [
    { cells: [{ label: 'Số:', item: 'entryNo', x: 0, labelInk: 'labelBold' }, { label: 'Quyển số:', item: 'bookNo', x: 0.55, labelInk: 'labelBold' }] },
    { cells: [{ label: 'Họ và tên chồng:', item: 'husbandName', x: 0, labelInk: 'labelBold' }] },
    { cells: [{ label: 'Ngày, tháng, năm sinh:', item: 'husbandBirthDate', x: 0 }, { label: 'Dân tộc:', item: 'husbandEthnicity', x: 0.46 }, { label: 'Quốc tịch:', item: 'husbandNationality', x: 0.7 }], indentMm: 6 },
    { cells: [{ label: 'Nơi cư trú:', item: 'husbandResidence', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Số Giấy CMND/Hộ chiếu:', item: 'husbandIdNumber', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Họ và tên vợ:', item: 'wifeName', x: 0, labelInk: 'labelBold' }] },
    { cells: [{ label: 'Ngày, tháng, năm sinh:', item: 'wifeBirthDate', x: 0 }, { label: 'Dân tộc:', item: 'wifeEthnicity', x: 0.46 }, { label: 'Quốc tịch:', item: 'wifeNationality', x: 0.7 }], indentMm: 6 },
    { cells: [{ label: 'Nơi cư trú:', item: 'wifeResidence', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Số Giấy CMND/Hộ chiếu:', item: 'wifeIdNumber', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Ngày, tháng, năm đăng ký:', item: 'registrationDate', x: 0 }] },
    { cells: [{ label: 'Cán bộ Tư pháp - Hộ tịch:', item: 'registrarName', x: 0 }] },
    { cells: [{ label: 'Chồng ký:', x: 0 }, { label: 'Vợ ký:', x: 0.5 }], signatures: true, gapBeforeMm: 1 },
    { cells: [{ label: 'Ghi chú:', item: 'notes', x: 0 }], gapBeforeMm: 4 },
  ],
};

/** 2016– birth register printed from the registration software (Circular 15/2015 field names). */
const BIRTH_2018_FORM: FormTemplate = {
  kind: 'form',
  pageMm: [210, 297],
  marginMm: { left: 20, right: 15, top: 14 },
  pitchMm: 6.25,
  entryGapMm: 6,
  leaders: false,
  separator: true,
  inks: {
    label: { family: SERIF, sizePt: 12.5, colour: '#000000', mode: 'print' },
    labelBold: { family: SERIF, sizePt: 12.5, bold: true, colour: '#000000', mode: 'print' },
    value: { family: SERIF, sizePt: 12.5, bold: true, colour: '#000000', mode: 'print' },
    title: { family: SERIF, sizePt: 15, bold: true, colour: '#000000', mode: 'print' },
    header: { family: SERIF, sizePt: 12, bold: true, colour: '#000000', mode: 'print' },
  },
  titles: (_page, year) => [
    { text: 'UBND PHƯỜNG MỘ LAO - QUẬN HÀ ĐÔNG', align: 'left', ink: 'header', yMm: 14 },
    { text: `SỔ ĐĂNG KÝ KHAI SINH - NĂM ${year}`, align: 'center', ink: 'title', yMm: 23 },
  ],
  footer: (page) => ({ text: `Trang ${107 + page}`, align: 'right', ink: 'label', yMm: 289 }),
  rows: [
    { cells: [{ label: 'Số:', item: 'entryNo', x: 0, labelInk: 'labelBold' }, { label: 'Quyển số:', item: 'bookNo', x: 0.55, labelInk: 'labelBold' }] },
    { cells: [{ label: 'Họ, chữ đệm, tên:', item: 'fullName', x: 0 }] },
    { cells: [{ label: 'Ngày, tháng, năm sinh:', item: 'birthDate', x: 0 }, { label: 'Giới tính:', item: 'sex', x: 0.6 }] },
    { cells: [{ label: 'Ghi bằng chữ:', item: 'birthDateWords', x: 0 }] },
    { cells: [{ label: 'Dân tộc:', item: 'ethnicity', x: 0 }, { label: 'Quốc tịch:', item: 'nationality', x: 0.35 }] },
    { cells: [{ label: 'Nơi sinh:', item: 'birthPlace', x: 0 }] },
    { cells: [{ label: 'Quê quán:', item: 'hometown', x: 0 }] },
    { cells: [{ label: 'Số định danh cá nhân:', item: 'idNumber', x: 0 }] },
    { cells: [{ label: 'Họ, chữ đệm, tên người mẹ:', item: 'motherName', x: 0 }] },
    { cells: [{ label: 'Năm sinh:', item: 'motherBirthYear', x: 0 }, { label: 'Dân tộc:', item: 'motherEthnicity', x: 0.3 }, { label: 'Quốc tịch:', item: 'motherNationality', x: 0.56 }], indentMm: 6 },
    { cells: [{ label: 'Nơi cư trú:', item: 'motherResidence', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Họ, chữ đệm, tên người cha:', item: 'fatherName', x: 0 }] },
    { cells: [{ label: 'Năm sinh:', item: 'fatherBirthYear', x: 0 }, { label: 'Dân tộc:', item: 'fatherEthnicity', x: 0.3 }, { label: 'Quốc tịch:', item: 'fatherNationality', x: 0.56 }], indentMm: 6 },
    { cells: [{ label: 'Nơi cư trú:', item: 'fatherResidence', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Người đi khai:', item: 'declarantName', x: 0 }, { label: 'Quan hệ với người được khai sinh:', item: 'declarantRelation', x: 0.43 }] },
    { cells: [{ label: 'Ngày, tháng, năm đăng ký:', item: 'registrationDate', x: 0 }] },
    { cells: [{ label: 'Công chức tư pháp - hộ tịch:', item: 'registrarName', x: 0 }] },
    { cells: [{ label: 'Ghi chú:', item: 'notes', x: 0 }] },
  ],
};

/** 1961–1998 ruled death register, one row per entry across pre-printed columns, filled by hand. */
const DEATH_1975_TABLE: TableTemplate = {
  kind: 'table',
  pageMm: [305, 216],
  marginMm: { left: 13, right: 11, top: 14 },
  headerHeightMm: 20,
  pitchMm: 5.4,
  rowPadMm: 1.6,
  inks: {
    header: { family: SERIF, sizePt: 10, bold: true, colour: '#2a2622', mode: 'print' },
    title: { family: SERIF, sizePt: 14, bold: true, colour: '#2a2622', mode: 'print' },
    label: { family: SERIF, sizePt: 10, colour: '#2a2622', mode: 'print' },
    hand: { family: HAND, sizePt: 13, colour: '#22305e', mode: 'hand' },
  },
  titles: (_page, year) => [
    { text: 'ỦY BAN HÀNH CHÍNH KHU PHỐ HAI BÀ TRƯNG', align: 'left', ink: 'label', yMm: 16 },
    { text: 'SỔ ĐĂNG KÝ KHAI TỬ', align: 'center', ink: 'title', yMm: 18 },
    { text: `Năm ${year}`, align: 'right', ink: 'label', yMm: 16 },
  ],
  columns: [
    { header: 'Số', widthMm: 9, items: ['entryNo'] },
    { header: 'Họ và tên người chết', widthMm: 35, items: ['fullName'] },
    { header: 'Nam hay nữ', widthMm: 11, items: ['sex'] },
    { header: 'Ngày, tháng, năm sinh', widthMm: 20, items: ['birthDate'] },
    { header: 'Dân tộc, Quốc tịch', widthMm: 18, items: ['ethnicity', 'nationality'] },
    { header: 'Nơi thường trú', widthMm: 31, items: ['residence'] },
    { header: 'Giờ, ngày, tháng, năm chết', widthMm: 36, items: ['deathTime', 'deathDate', 'deathDateWords'] },
    { header: 'Nơi chết', widthMm: 24, items: ['deathPlace'] },
    { header: 'Nguyên nhân chết', widthMm: 22, items: ['deathCause'] },
    { header: 'Giấy báo tử', widthMm: 17, items: ['deathNoticeRef'] },
    { header: 'Họ tên người đi khai, quan hệ với người chết', widthMm: 27, items: ['declarantName', 'declarantRelation'] },
    { header: 'Ngày đăng ký, Cán bộ hộ tịch ký', widthMm: 24, items: ['registrationDate', 'registrarName'] },
    { header: 'Ghi chú', widthMm: 12, items: ['notes'] },
  ],
  signatureAfter: 'registrationDate',
};

// ───────────────────────────── 5. Renderer ─────────────────────────────

type Box = [number, number, number, number]; // x, y, w, h
type Rect = { x0: number; y0: number; x1: number; y1: number };
type Seg = { text: string; rect: Rect };
type TruthLine = { text: string; box: Box };
type FieldHit = { value: string; page: number; rects: Rect[] };
type EntryTruth = { rec: Rec; page: number; fields: Record<string, FieldHit> };

const EMPTY: Rect = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
const union = (a: Rect, b: Rect): Rect => ({ x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) });
const toBox = (r: Rect): Box => {
  const x = Math.floor(r.x0);
  const y = Math.floor(r.y0);
  return [x, y, Math.ceil(r.x1) - x, Math.ceil(r.y1) - y];
};
type Affine = [number, number, number, number, number, number]; // a b c d e f (canvas order)
const apply = (m: Affine, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
const rectThrough = (m: Affine, r: Rect): Rect => {
  const pts = [apply(m, r.x0, r.y0), apply(m, r.x1, r.y0), apply(m, r.x0, r.y1), apply(m, r.x1, r.y1)];
  return { x0: Math.min(...pts.map((p) => p[0])), y0: Math.min(...pts.map((p) => p[1])), x1: Math.max(...pts.map((p) => p[0])), y1: Math.max(...pts.map((p) => p[1])) };
};

class Page {
  readonly canvas: Canvas;
  readonly ctx: SKRSContext2D;
  readonly lines: TruthLine[] = [];
  readonly px: (mm: number) => number;
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  readonly rng: Rng;
  constructor(width: number, height: number, dpi: number, rng: Rng, paper: PaperSpec) {
    this.width = width;
    this.height = height;
    this.dpi = dpi;
    this.rng = rng;
    this.canvas = createCanvas(width, height);
    this.ctx = this.canvas.getContext('2d');
    this.px = (mm) => (mm / 25.4) * dpi;
    paintPaper(this, paper);
  }

  fontOf(ink: Ink, scale = 1): string {
    const size = ((ink.sizePt * this.dpi) / 72) * scale;
    return `${ink.italic ? 'italic ' : ''}${ink.bold ? 'bold ' : ''}${size.toFixed(2)}px "${ink.family}"`;
  }

  measure(text: string, ink: Ink): number {
    this.ctx.font = this.fontOf(ink);
    return this.ctx.measureText(text).width;
  }

  /** Ink rectangle of `text` drawn at (x, baseline y) with the current font, from the renderer's metrics. */
  private inkRect(text: string, x: number, y: number): Rect {
    const m = this.ctx.measureText(text);
    return { x0: x - m.actualBoundingBoxLeft, y0: y - m.actualBoundingBoxAscent, x1: x + m.actualBoundingBoxRight, y1: y + m.actualBoundingBoxDescent };
  }

  /** Draws a run of text with its baseline at y; returns the true ink rectangle and the advance end x. */
  draw(text: string, x: number, y: number, ink: Ink): { rect: Rect; end: number } {
    const ctx = this.ctx;
    const r = this.rng;
    ctx.fillStyle = ink.colour;
    ctx.strokeStyle = ink.colour;
    let rect = EMPTY;
    let pen = x;
    if (ink.mode === 'print') {
      ctx.font = this.fontOf(ink);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillText(text, x, y);
      rect = this.inkRect(text, x, y);
      pen = x + ctx.measureText(text).width;
    } else if (ink.mode === 'typed') {
      // typewriter: fixed pitch, each strike with its own pressure and a little vertical play
      ctx.font = this.fontOf(ink);
      ctx.lineWidth = 1.8;
      for (const ch of text) {
        const w = ctx.measureText(ch).width;
        if (ch !== ' ') {
          const dy = r.gauss() * 0.7;
          const dx = r.gauss() * 0.4;
          ctx.globalAlpha = Math.min(1, r.range(0.72, 1.05));
          ctx.setTransform(1, 0, 0, 1, 0, 0);
          ctx.fillText(ch, pen + dx, y + dy);
          ctx.strokeText(ch, pen + dx, y + dy);
          const cr = this.inkRect(ch, pen + dx, y + dy);
          rect = union(rect, { x0: cr.x0 - 0.6, y0: cr.y0 - 0.6, x1: cr.x1 + 0.6, y1: cr.y1 + 0.6 });
        }
        pen += w;
      }
      ctx.globalAlpha = 1;
    } else {
      // hand: word by word, slanted, with size and baseline drift
      const words = text.split(' ');
      let base = y;
      ctx.lineWidth = 0.6;
      for (const word of words) {
        const scale = 1 + r.gauss() * 0.025;
        ctx.font = this.fontOf(ink, scale);
        const slant = 0.16 + r.gauss() * 0.015;
        const rot = r.gauss() * 0.012;
        base += r.gauss() * 1.1;
        const cos = Math.cos(rot);
        const sin = Math.sin(rot);
        // M = T(pen, base) · R(rot) · Skew(slant): local (u, v) → page
        const m: Affine = [cos, sin, -cos * slant - sin, -sin * slant + cos, pen, base];
        ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
        ctx.globalAlpha = r.range(0.86, 1);
        ctx.fillText(word, 0, 0);
        ctx.strokeText(word, 0, 0);
        const local = this.inkRect(word, 0, 0);
        rect = union(rect, rectThrough(m, { x0: local.x0 - 0.8, y0: local.y0 - 0.8, x1: local.x1 + 0.8, y1: local.y1 + 0.8 }));
        const adv = ctx.measureText(word).width;
        ctx.font = this.fontOf(ink);
        pen += (adv + ctx.measureText(' ').width * r.range(0.9, 1.35)) * cos;
        base += adv * sin;
      }
      ctx.globalAlpha = 1;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    return { rect, end: pen };
  }

  addLine(segs: Seg[]): void {
    const s = segs.filter((x) => x.text.length > 0);
    if (s.length === 0) return;
    this.lines.push({ text: nfc(s.map((x) => x.text).join(' ')), box: toBox(s.reduce((a, x) => union(a, x.rect), EMPTY)) });
  }

  rule(x0: number, y0: number, x1: number, y1: number, width: number, colour: string): void {
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  }

  /** Printed dotted leader from x0 to x1 on baseline y. */
  leader(x0: number, x1: number, y: number, ink: Ink): void {
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = ink.colour;
    const step = this.px(1.05);
    const rad = this.px(0.14);
    for (let x = x0 + step / 2; x < x1; x += step) {
      ctx.beginPath();
      ctx.arc(x, y - rad, rad, 0, Math.PI * 2);
      ctx.fill();
    }
  }

  /** A pen signature: a few connected loops; not text, so not in the truth lines. */
  signature(x: number, y: number, w: number, colour: string): void {
    const ctx = this.ctx;
    const r = this.rng;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.strokeStyle = colour;
    ctx.lineWidth = Math.max(1.6, this.dpi / 130);
    ctx.beginPath();
    let cx = x;
    let cy = y;
    ctx.moveTo(cx, cy);
    const n = r.int(3, 5);
    const h = this.px(3.2);
    for (let i = 0; i < n; i++) {
      const nx = cx + w / n;
      ctx.bezierCurveTo(cx + r.range(0.1, 0.6) * (w / n), cy - h * r.range(0.6, 1.2), nx - r.range(0.5, 1.3) * (w / n), cy + h * r.range(0.1, 0.6), nx, cy - h * r.range(-0.2, 0.3));
      cx = nx;
      cy = y + r.gauss() * 3;
    }
    ctx.quadraticCurveTo(cx + w * 0.1, cy + h * 0.5, x + w * 0.15, cy + h * 0.2);
    ctx.stroke();
  }
}

function wrapWords(text: string, first: number, rest: number, width: (s: string) => number): string[] {
  const words = text.split(' ');
  const out: string[] = [];
  let cur = '';
  for (const w of words) {
    const trial = cur ? `${cur} ${w}` : w;
    const limit = out.length === 0 ? first : rest;
    if (cur && width(trial) > limit) {
      out.push(cur);
      cur = w;
    } else cur = trial;
  }
  if (cur) out.push(cur);
  return out;
}

function inkOf(tpl: { inks: Partial<Record<InkName, Ink>> }, name: InkName): Ink {
  const ink = tpl.inks[name];
  if (!ink) throw new Error(`template has no ink ${name}`);
  return ink;
}

function drawTitles(page: Page, titles: TitleLine[], left: number, right: number, inks: Partial<Record<InkName, Ink>>): void {
  for (const t of titles) {
    const ink = inkOf({ inks }, t.ink);
    const w = page.measure(t.text, ink);
    const x = t.align === 'left' ? left : t.align === 'right' ? right - w : (left + right - w) / 2;
    const { rect } = page.draw(t.text, x, page.px(t.yMm), ink);
    page.addLine([{ text: t.text, rect }]);
  }
}

function hit(entry: EntryTruth, key: string, item: Item, rect: Rect): void {
  if (item.value === undefined) return;
  const f = (entry.fields[key] ??= { value: item.value, page: entry.page, rects: [] });
  f.rects.push(rect);
}

/** Lays out `recs` on one page with a form template; returns the truth of each entry. */
function renderFormPage(page: Page, tpl: FormTemplate, recs: Rec[], pageIdx: number, firstTop?: number): EntryTruth[] {
  const r = page.rng;
  const left = page.px(tpl.marginMm.left);
  const right = page.width - page.px(tpl.marginMm.right);
  drawTitles(page, tpl.titles(pageIdx, at(recs, 0).year), left, right, tpl.inks);
  const pitch = page.px(tpl.pitchMm);
  const labelInk = inkOf(tpl, 'label');
  const valueInk = inkOf(tpl, 'value');
  let y = firstTop ?? page.px(tpl.marginMm.top + 25);
  const out: EntryTruth[] = [];
  for (const [ei, rec] of recs.entries()) {
    // y is the next free baseline; entries are parted by a gap with an optional printed rule in its middle
    if (ei > 0) {
      const sepY = y - pitch + page.px(2.2 + tpl.entryGapMm / 2);
      if (tpl.separator) page.rule(left, sepY, right, sepY, Math.max(2, page.dpi / 110), labelInk.colour);
      y = sepY + page.px(tpl.entryGapMm / 2) + pitch * 0.55;
    } else if (tpl.separator) {
      page.rule(left, y - pitch * 0.95, right, y - pitch * 0.95, Math.max(2, page.dpi / 110), labelInk.colour);
    }
    const entry: EntryTruth = { rec, page: pageIdx, fields: {} };
    for (const row of tpl.rows) {
      y += page.px(row.gapBeforeMm ?? 0);
      const rowLeft = left + page.px(row.indentMm ?? 0);
      const rowW = right - rowLeft;
      const segs: Seg[] = [];
      let conts: { text: string; key: string; item: Item }[] = [];
      for (const [ci, cell] of row.cells.entries()) {
        const cx = rowLeft + cell.x * rowW;
        const cellEnd = ci + 1 < row.cells.length ? rowLeft + at(row.cells, ci + 1).x * rowW - page.px(2) : right;
        let vx = cx;
        if (cell.label) {
          const li = inkOf(tpl, cell.labelInk ?? 'label');
          const d = page.draw(cell.label, cx, y, li);
          segs.push({ text: cell.label, rect: d.rect });
          vx = d.end + page.px(1.2);
        }
        if (row.signatures) {
          page.signature(vx + page.px(6), y - page.px(0.5), page.px(22), inkOf(tpl, 'hand').colour);
          continue;
        }
        if (tpl.leaders && cell.item) page.leader(vx, cellEnd, y, labelInk);
        const item = cell.item ? rec.items[cell.item] : undefined;
        if (!item || !item.text) continue;
        const ink = item.hand ? inkOf(tpl, 'hand') : valueInk;
        // typed values rarely sit on the dotted line: they start a little late and ride above or across it
        const jx = ink.mode === 'typed' ? r.range(0.5, 4.5) : ink.mode === 'hand' ? r.range(2, 6) : 0;
        const jy = ink.mode === 'typed' ? r.range(-1.5, 0.5) : ink.mode === 'hand' ? r.range(-1.8, 0) : 0;
        const x0 = vx + page.px(jx);
        const slack = ink.mode === 'print' ? 0 : page.px(1.5);
        const parts = wrapWords(item.text, cellEnd - x0 - slack, right - (rowLeft + page.px(4)) - slack, (s) => page.measure(s, ink) * (ink.mode === 'hand' ? 1.1 : 1));
        const first = at(parts, 0);
        const d = page.draw(first, x0, y + page.px(jy), ink);
        segs.push({ text: first, rect: d.rect });
        hit(entry, cell.item!, item, d.rect);
        conts = parts.slice(1).map((text) => ({ text, key: cell.item!, item }));
        if (conts.length && ci + 1 < row.cells.length) throw new Error(`only the last cell of a row may wrap (${cell.item})`);
      }
      page.addLine(segs);
      y += pitch;
      for (const c of conts) {
        const ink = c.item.hand ? inkOf(tpl, 'hand') : valueInk;
        const cx = rowLeft + page.px(4);
        if (tpl.leaders) page.leader(cx, right, y, labelInk);
        const d = page.draw(c.text, cx + page.px(r.range(0.5, 3)), y + page.px(r.range(-2, 0.5)), ink);
        page.addLine([{ text: c.text, rect: d.rect }]);
        hit(entry, c.key, c.item, d.rect);
        y += pitch;
      }
    }
    out.push(entry);
  }
  if (tpl.footer) drawTitles(page, [tpl.footer(pageIdx)], left, right, tpl.inks);
  return out;
}

/** Lays out `recs` as rows of a ruled register table; empty ruled rows fill the rest of the page. */
function renderTablePage(page: Page, tpl: TableTemplate, recs: Rec[], pageIdx: number, year: number): EntryTruth[] {
  const left = page.px(tpl.marginMm.left);
  const right = page.width - page.px(tpl.marginMm.right);
  const bottom = page.height - page.px(14);
  const ruleInk = inkOf(tpl, 'header');
  const hand = inkOf(tpl, 'hand');
  drawTitles(page, tpl.titles(pageIdx, year), left, right, tpl.inks);
  const top = page.px(tpl.marginMm.top + 9);
  const headerBottom = top + page.px(tpl.headerHeightMm);
  const xs: number[] = [left];
  for (const c of tpl.columns) xs.push(at(xs, xs.length - 1) + page.px(c.widthMm));
  const scaleX = (right - left) / (at(xs, xs.length - 1) - left);
  for (let i = 0; i < xs.length; i++) xs[i] = left + (at(xs, i) - left) * scaleX;
  const colL = (ci: number) => at(xs, ci);
  const colR = (ci: number) => at(xs, ci + 1);
  const ruleW = Math.max(2, page.dpi / 100);
  // column headers, centred and wrapped inside their column
  const hInk = inkOf(tpl, 'header');
  const hLine = page.px(3.9);
  for (const [ci, col] of tpl.columns.entries()) {
    const cw = colR(ci) - colL(ci) - page.px(1.6);
    const parts = wrapWords(col.header, cw, cw, (s) => page.measure(s, hInk));
    const y0 = top + (page.px(tpl.headerHeightMm) - parts.length * hLine) / 2 + hLine * 0.78;
    parts.forEach((p, i) => {
      const w = page.measure(p, hInk);
      const { rect } = page.draw(p, (colL(ci) + colR(ci) - w) / 2, y0 + i * hLine, hInk);
      page.addLine([{ text: p, rect }]);
    });
  }
  page.rule(left, top, right, top, ruleW * 1.3, ruleInk.colour);
  page.rule(left, headerBottom, right, headerBottom, ruleW * 1.3, ruleInk.colour);
  const pitch = page.px(tpl.pitchMm);
  const pad = page.px(tpl.rowPadMm);
  let y = headerBottom;
  const out: EntryTruth[] = [];
  for (const rec of recs) {
    const entry: EntryTruth = { rec, page: pageIdx, fields: {} };
    let rowH = 0;
    for (const [ci, col] of tpl.columns.entries()) {
      const cw = colR(ci) - colL(ci) - page.px(2.2);
      let line = 0;
      for (const key of col.items) {
        const item = rec.items[key];
        if (!item || !item.text) continue;
        const parts = wrapWords(item.text, cw, cw, (s) => page.measure(s, hand) * 1.12);
        for (const p of parts) {
          const bx = colL(ci) + page.px(1.1) + page.rng.range(0, page.px(0.8));
          const d = page.draw(p, bx, y + pad + pitch * (line + 0.82), hand);
          page.addLine([{ text: p, rect: d.rect }]);
          hit(entry, key, item, d.rect);
          line++;
        }
        if (key === tpl.signatureAfter) {
          page.signature(colL(ci) + page.px(2), y + pad + pitch * (line + 0.75), Math.min(cw * 0.8, page.px(16)), hand.colour);
          line += 1.1;
        }
      }
      rowH = Math.max(rowH, line);
    }
    y += pad * 2 + pitch * rowH;
    page.rule(left, y, right, y, ruleW * 0.8, ruleInk.colour);
    out.push(entry);
  }
  const emptyRow = pad * 2 + pitch * 3;
  while (y + emptyRow < bottom) {
    y += emptyRow;
    page.rule(left, y, right, y, ruleW * 0.8, ruleInk.colour);
  }
  for (const x of xs) page.rule(x, top, x, y, ruleW, ruleInk.colour);
  return out;
}

// ───────────────────────────── 6. Paper, damage, encoders ─────────────────────────────

type PaperSpec = {
  colour: [number, number, number];
  shade: number; // darkening towards the bound edge (book gutter), 0..1
  stains: number; // number of faint water/foxing stains
  noise: number; // ± amplitude of per-pixel sensor noise
  specks: number; // dark dust specks
  fade?: number; // 0..1: ink lightened towards the paper (old ink)
};

/** Flat paper colour; shading, stains and noise are applied per pixel in finish() (no dithered gradients). */
function paintPaper(page: Page, p: PaperSpec): void {
  const [r, g, b] = p.colour;
  page.ctx.fillStyle = `rgb(${r},${g},${b})`;
  page.ctx.fillRect(0, 0, page.width, page.height);
}

type Stain = { cx: number; cy: number; rad: number; a: number; ph: [number, number, number] };

/** Per-pixel finishing on RGBA: faded ink, gutter shade, stains (multiplicative), noise, specks. */
function finish(rgba: Uint8ClampedArray, w: number, h: number, p: PaperSpec, rng: Rng): void {
  const [pr, pg, pb] = p.colour;
  const stains: Stain[] = Array.from({ length: p.stains }, () => ({
    cx: rng.range(0, w),
    cy: rng.range(0, h),
    rad: rng.range(w * 0.04, w * 0.12),
    a: rng.range(0.025, 0.055),
    ph: [rng.range(0, 6.28), rng.range(0, 6.28), rng.range(0, 6.28)],
  }));
  const gutterW = w * 0.07;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      let r = rgba[i]!;
      let g = rgba[i + 1]!;
      let b = rgba[i + 2]!;
      if (p.fade) {
        if (r < pr) r += (pr - r) * p.fade;
        if (g < pg) g += (pg - g) * p.fade;
        if (b < pb) b += (pb - b) * p.fade;
      }
      // brownish darkening: k is the fraction of light absorbed, stronger in blue
      let k = 0;
      if (p.shade > 0 && x < gutterW) {
        const t = 1 - x / gutterW;
        k += p.shade * t * t;
      }
      for (const s of stains) {
        const dx = x - s.cx;
        const dy = y - s.cy;
        const d2 = dx * dx + dy * dy;
        if (d2 > s.rad * s.rad * 1.6) continue;
        const th = Math.atan2(dy, dx);
        const edge = s.rad * (1 + 0.12 * Math.sin(3 * th + s.ph[0]) + 0.08 * Math.sin(5 * th + s.ph[1]) + 0.05 * Math.sin(8 * th + s.ph[2]));
        const q = Math.sqrt(d2) / edge;
        if (q < 1) k += s.a * (0.55 + 0.45 * q * q * q * q); // tide-mark: darker towards the rim
        else if (q < 1.08) k += s.a * (1 - (q - 1) / 0.08);
      }
      if (k > 0) {
        r *= 1 - k * 0.8;
        g *= 1 - k;
        b *= 1 - k * 1.35;
      }
      if (p.noise > 0) {
        const n = (rng.next() - 0.5) * 2 * p.noise;
        r += n;
        g += n;
        b += n;
      }
      rgba[i] = r;
      rgba[i + 1] = g;
      rgba[i + 2] = b;
    }
  }
  for (let k = 0; k < p.specks; k++) {
    const x = rng.int(2, w - 3);
    const y = rng.int(2, h - 3);
    const s = rng.int(1, 2);
    const v = rng.int(40, 120);
    for (let dy = -s + 1; dy < s; dy++)
      for (let dx = -s + 1; dx < s; dx++) {
        const i = ((y + dy) * w + (x + dx)) * 4;
        rgba[i] = rgba[i + 1] = rgba[i + 2] = v;
      }
  }
}

/** Rotates the finished page about its centre by `deg` (scanner skew); returns the transform for boxes. */
function skew(page: Page, deg: number, bed: string): { canvas: Canvas; m: Affine } {
  const out = createCanvas(page.width, page.height);
  const ctx = out.getContext('2d');
  ctx.fillStyle = bed;
  ctx.fillRect(0, 0, page.width, page.height);
  const t = (deg * Math.PI) / 180;
  const cx = page.width / 2;
  const cy = page.height / 2;
  const c = Math.cos(t);
  const s = Math.sin(t);
  // x' = c(x - cx) - s(y - cy) + cx ; y' = s(x - cx) + c(y - cy) + cy
  const m: Affine = [c, s, -s, c, cx - c * cx + s * cy, cy - s * cx - c * cy];
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'low';
  ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
  ctx.drawImage(page.canvas, 0, 0);
  return { canvas: out, m };
}

const rgbaOf = (c: Canvas) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
function grey(rgba: Uint8ClampedArray): Buffer {
  const out = Buffer.alloc(rgba.length / 4);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j++) out[j] = Math.round(0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!);
  return out;
}
function rgb(rgba: Uint8ClampedArray): Buffer {
  const out = Buffer.alloc((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    out[j] = rgba[i]!;
    out[j + 1] = rgba[i + 1]!;
    out[j + 2] = rgba[i + 2]!;
  }
  return out;
}

const jpegGrey = (g: Buffer, w: number, h: number, dpi: number, q: number) =>
  sharp(g, { raw: { width: w, height: h, channels: 1 } }).toColourspace('b-w').withDensity(dpi).jpeg({ quality: q, mozjpeg: true }).toBuffer();
const jpegRgb = (c: Buffer, w: number, h: number, dpi: number, q: number) =>
  sharp(c, { raw: { width: w, height: h, channels: 3 } }).withDensity(dpi).jpeg({ quality: q, mozjpeg: true, chromaSubsampling: '4:2:0' }).toBuffer();
/**
 * Grey levels as a document scanner's compact greyscale mode keeps them: fine steps in the paper tones
 * (stains and shading stay smooth), coarse steps in the ink and its anti-aliased edges. Lossless files
 * (TIFF, PNG) stay small this way; the text itself is untouched.
 */
type Poster = { paperFrom: number; paperStep: number; inkStep: number; flatPaper?: number };
function posterize(g: Buffer, p: Poster): Buffer {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    if (v >= p.paperFrom) lut[v] = p.flatPaper ?? Math.min(255, Math.round(v / p.paperStep) * p.paperStep);
    else lut[v] = Math.min(p.paperFrom - 1, Math.round(v / p.inkStep) * p.inkStep);
  }
  return Buffer.from(g.map((v) => lut[v]!));
}
/** 8-bit greyscale PNG. */
const pngGrey = (g: Buffer, w: number, h: number, dpi: number) =>
  sharp(g, { raw: { width: w, height: h, channels: 1 } }).toColourspace('b-w').withDensity(dpi).png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer();

async function pdfOfJpegs(pages: { jpeg: Buffer; w: number; h: number; dpi: number }[], title: string): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(title);
  doc.setProducer('civreg scripts/make-samples.ts');
  doc.setCreator('civreg scripts/make-samples.ts');
  const when = new Date(Date.UTC(2024, 0, 1));
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  for (const p of pages) {
    const img = await doc.embedJpg(p.jpeg);
    const wPt = (p.w * 72) / p.dpi;
    const hPt = (p.h * 72) / p.dpi;
    const page = doc.addPage([wPt, hPt]);
    page.drawImage(img, { x: 0, y: 0, width: wPt, height: hPt });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/**
 * Multi-page 8-bit greyscale TIFF, Adobe deflate (compression 8), one IFD per page. No predictor: on these
 * posterised pages plain deflate is smaller than with horizontal differencing.
 */
function tiffGrey(pages: { data: Buffer; w: number; h: number; dpi: number }[]): Buffer {
  const chunks: Buffer[] = [];
  let offset = 8;
  const push = (b: Buffer) => {
    const start = offset;
    chunks.push(b);
    offset += b.length;
    if (offset % 2) {
      chunks.push(Buffer.alloc(1));
      offset += 1;
    }
    return start;
  };
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  chunks.push(header);
  const ifdOffsets: number[] = [];
  const nextPtrPositions: number[] = [];
  for (const [pi, p] of pages.entries()) {
    const rowsPerStrip = 64;
    const stripOffsets: number[] = [];
    const stripCounts: number[] = [];
    for (let y0 = 0; y0 < p.h; y0 += rowsPerStrip) {
      const rows = Math.min(rowsPerStrip, p.h - y0);
      const z = deflateSync(p.data.subarray(y0 * p.w, (y0 + rows) * p.w), { level: 9 });
      stripCounts.push(z.length);
      stripOffsets.push(push(z));
    }
    const longs = (xs: number[]) => {
      const b = Buffer.alloc(xs.length * 4);
      xs.forEach((v, i) => b.writeUInt32LE(v, i * 4));
      return b;
    };
    const offsArr = push(longs(stripOffsets));
    const countsArr = push(longs(stripCounts));
    const res = push(longs([p.dpi, 1]));
    const software = push(Buffer.from('civreg scripts/make-samples.ts\0', 'latin1'));
    // tag, type (3 SHORT, 4 LONG, 5 RATIONAL, 2 ASCII), count, value-or-offset
    const n = stripOffsets.length;
    const entries: [number, number, number, number][] = [
      [254, 4, 1, 2], // NewSubfileType: page of a multi-page document
      [256, 4, 1, p.w],
      [257, 4, 1, p.h],
      [258, 3, 1, 8],
      [259, 3, 1, 8], // Adobe deflate
      [262, 3, 1, 1], // BlackIsZero
      [273, 4, n, n === 1 ? at(stripOffsets, 0) : offsArr],
      [277, 3, 1, 1],
      [278, 4, 1, rowsPerStrip],
      [279, 4, n, n === 1 ? at(stripCounts, 0) : countsArr],
      [282, 5, 1, res],
      [283, 5, 1, res],
      [284, 3, 1, 1],
      [296, 3, 1, 2], // inch
      [297, 3, 2, pi | (pages.length << 16)], // PageNumber: page, total
      [305, 2, 31, software],
    ];
    const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
    ifd.writeUInt16LE(entries.length, 0);
    entries.forEach(([tag, type, count, value], i) => {
      const o = 2 + i * 12;
      ifd.writeUInt16LE(tag, o);
      ifd.writeUInt16LE(type, o + 2);
      ifd.writeUInt32LE(count, o + 4);
      if (type === 3 && count === 1) ifd.writeUInt16LE(value, o + 8);
      else ifd.writeUInt32LE(value >>> 0, o + 8);
    });
    const ifdAt = push(ifd);
    ifdOffsets.push(ifdAt);
    nextPtrPositions.push(ifdAt + 2 + entries.length * 12);
  }
  const file = Buffer.concat(chunks);
  file.writeUInt32LE(at(ifdOffsets, 0), 4);
  for (let i = 0; i + 1 < ifdOffsets.length; i++) file.writeUInt32LE(at(ifdOffsets, i + 1), at(nextPtrPositions, i));
  return file;
}

// ───────────────────────────── 7. Books, truth, manifest ─────────────────────────────

type RegisterType = 'birth' | 'marriage' | 'death';
type Era = '1956-1960' | '1961-1998' | '1999-2005' | '2006-2015' | '2016-';
type Output =
  | { kind: 'pdf'; file: string; quality: number }
  | { kind: 'tiff'; file: string; poster: Poster }
  | { kind: 'jpegs'; files: string[]; quality: number }
  | { kind: 'png'; files: string[]; poster: Poster };

type BookSpec = {
  id: string;
  registerType: RegisterType;
  era: Era;
  office: string;
  bookNo: string;
  year: number;
  dpi: number;
  layout: FormTemplate | TableTemplate;
  records: (r: Rng) => Rec[];
  entriesPerPage: number[];
  papers: PaperSpec[]; // per page
  skewDeg?: number[]; // per page
  colour: boolean;
  output: Output;
  describe: string;
};

const BOOKS: BookSpec[] = [
  {
    id: 'birth-1999-typed',
    registerType: 'birth',
    era: '1999-2005',
    office: 'Phường Bạch Mai, Quận Hai Bà Trưng',
    bookNo: '01',
    year: 1999,
    dpi: 250,
    layout: BIRTH_1999_FORM,
    records: (r) => {
      const recs = birth1999Records(r, 145, 4);
      addBirthDateCorrection(recs, 1, '27/QĐ-UB', { y: 2003, m: 8, d: 14 });
      return recs;
    },
    entriesPerPage: [2, 2],
    papers: [
      { colour: [239, 236, 226], shade: 0.1, stains: 2, noise: 1.5, specks: 40 },
      { colour: [236, 233, 222], shade: 0.12, stains: 3, noise: 1.5, specks: 60 },
    ],
    colour: false,
    output: { kind: 'pdf', file: 'book.pdf', quality: 48 },
    describe: 'pre-printed birth register form, typed entries',
  },
  {
    id: 'death-1975-handwritten-skewed',
    registerType: 'death',
    era: '1961-1998',
    office: 'Khu phố Hai Bà Trưng',
    bookNo: '02',
    year: 1975,
    dpi: 150,
    layout: DEATH_1975_TABLE,
    records: (r) => death1975Records(r, 31, 8),
    entriesPerPage: [4, 4],
    papers: [
      { colour: [226, 218, 196], shade: 0.22, stains: 4, noise: 0, specks: 80, fade: 0.12 },
      { colour: [223, 214, 190], shade: 0.2, stains: 5, noise: 0, specks: 90, fade: 0.18 },
    ],
    skewDeg: [2.4, -2.1],
    colour: false,
    output: { kind: 'tiff', file: 'book.tiff', poster: { paperFrom: 185, paperStep: 2, inkStep: 24 } },
    describe: 'ruled death register filled by hand, scanned skewed',
  },
  {
    id: 'marriage-2010-printed',
    registerType: 'marriage',
    era: '2006-2015',
    office: 'Phường Dịch Vọng, Quận Cầu Giấy',
    bookNo: '01',
    year: 2010,
    dpi: 250,
    layout: MARRIAGE_2010_FORM,
    records: (r) => marriage2010Records(r, 187, 4),
    entriesPerPage: [2, 2],
    papers: [
      { colour: [246, 245, 240], shade: 0, stains: 0, noise: 0, specks: 15 },
      { colour: [238, 226, 192], shade: 0.08, stains: 3, noise: 4, specks: 160 },
    ],
    colour: true,
    output: { kind: 'jpegs', files: ['page1.jpg', 'page2.jpg'], quality: 60 },
    describe: 'computer-printed marriage register pages',
  },
  {
    id: 'birth-2018-printed',
    registerType: 'birth',
    era: '2016-',
    office: 'Phường Mộ Lao, Quận Hà Đông',
    bookNo: '01',
    year: 2018,
    dpi: 250,
    layout: BIRTH_2018_FORM,
    records: (r) => birth2018Records(r, 212, 2),
    entriesPerPage: [2],
    papers: [{ colour: [250, 250, 248], shade: 0, stains: 0, noise: 0, specks: 12 }],
    colour: false,
    output: { kind: 'png', files: ['page1.png'], poster: { paperFrom: 236, paperStep: 0, inkStep: 34, flatPaper: 250 } },
    describe: 'computer-printed birth register page with personal ID numbers',
  },
];

type BookResult = { files: string[]; truth: unknown; entries: number };

async function renderBook(spec: BookSpec, outDir: string, seedRng: Rng): Promise<BookResult> {
  const r = seedRng.fork(spec.id);
  const recs = spec.records(r.fork('records'));
  if (recs.length !== spec.entriesPerPage.reduce((a, b) => a + b, 0)) throw new Error(`${spec.id}: entries do not fill the pages`);
  const tpl = spec.layout;
  const W = Math.round((tpl.pageMm[0] / 25.4) * spec.dpi);
  const H = Math.round((tpl.pageMm[1] / 25.4) * spec.dpi);
  const pagesTruth: unknown[] = [];
  const entries: EntryTruth[] = [];
  const encoded: { grey?: Buffer; rgb?: Buffer }[] = [];
  let next = 0;
  for (const [pi, n] of spec.entriesPerPage.entries()) {
    const pr = r.fork(`page${pi}`);
    const paper = at(spec.papers, pi);
    const page = new Page(W, H, spec.dpi, pr, paper);
    const recsHere = recs.slice(next, next + n);
    next += n;
    const truths = tpl.kind === 'form' ? renderFormPage(page, tpl, recsHere, pi) : renderTablePage(page, tpl, recsHere, pi, spec.year);
    // paper ageing first, then the scanner (skew), so stains and shade turn with the sheet
    const img = page.ctx.getImageData(0, 0, W, H);
    finish(img.data, W, H, paper, pr.fork('finish'));
    page.ctx.putImageData(img, 0, 0);
    let canvas = page.canvas;
    let m: Affine = [1, 0, 0, 1, 0, 0];
    const deg = spec.skewDeg?.[pi] ?? 0;
    if (deg) ({ canvas, m } = skew(page, deg, '#3c3c3a'));
    const rgba = rgbaOf(canvas);
    encoded.push(spec.colour ? { rgb: rgb(rgba) } : { grey: grey(rgba) });
    const place = (b: Box): Box => {
      const rect = rectThrough(m, { x0: b[0], y0: b[1], x1: b[0] + b[2], y1: b[1] + b[3] });
      return toBox({ x0: Math.max(0, rect.x0), y0: Math.max(0, rect.y0), x1: Math.min(W, rect.x1), y1: Math.min(H, rect.y1) });
    };
    const file = spec.output.kind === 'pdf' || spec.output.kind === 'tiff' ? spec.output.file : spec.output.files[pi];
    const filePage = spec.output.kind === 'pdf' || spec.output.kind === 'tiff' ? pi : 0;
    pagesTruth.push({
      index: pi,
      file: `${spec.id}/${file}`,
      filePage,
      blank: false,
      width: W,
      height: H,
      dpi: spec.dpi,
      skewDeg: deg,
      lines: page.lines.map((l) => ({ text: l.text, box: place(l.box) })),
    });
    for (const t of truths) {
      for (const f of Object.values(t.fields)) f.rects = f.rects.map((rc) => {
        const b = place(toBox(rc));
        return { x0: b[0], y0: b[1], x1: b[0] + b[2], y1: b[1] + b[3] };
      });
      entries.push(t);
    }
  }

  // encode in the archive's delivery format
  const dir = join(outDir, spec.id);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const out = spec.output;
  if (out.kind === 'pdf') {
    const jpegs = await Promise.all(encoded.map((e) => jpegGrey(e.grey!, W, H, spec.dpi, out.quality)));
    writeFileSync(join(dir, out.file), await pdfOfJpegs(jpegs.map((jpeg) => ({ jpeg, w: W, h: H, dpi: spec.dpi })), `${spec.id} (civreg sample)`));
    files.push(`${spec.id}/${out.file}`);
  } else if (out.kind === 'tiff') {
    writeFileSync(join(dir, out.file), tiffGrey(encoded.map((e) => ({ data: posterize(e.grey!, out.poster), w: W, h: H, dpi: spec.dpi }))));
    files.push(`${spec.id}/${out.file}`);
  } else if (out.kind === 'jpegs') {
    for (const [i, e] of encoded.entries()) {
      writeFileSync(join(dir, at(out.files, i)), e.rgb ? await jpegRgb(e.rgb, W, H, spec.dpi, out.quality) : await jpegGrey(e.grey!, W, H, spec.dpi, out.quality));
      files.push(`${spec.id}/${at(out.files, i)}`);
    }
  } else {
    for (const [i, e] of encoded.entries()) {
      writeFileSync(join(dir, at(out.files, i)), await pngGrey(posterize(e.grey!, out.poster), W, H, spec.dpi));
      files.push(`${spec.id}/${at(out.files, i)}`);
    }
  }

  const truth = {
    pages: pagesTruth,
    entries: entries.map((t) => {
      const fields: Record<string, { value: string; page: number; box: Box; boxes?: Box[] }> = {};
      for (const [k, f] of Object.entries(t.fields)) {
        const boxes = f.rects.map(toBox);
        fields[k] = { value: f.value, page: f.page, box: toBox(f.rects.reduce(union, EMPTY)), ...(boxes.length > 1 ? { boxes } : {}) };
      }
      return {
        key: `${spec.id}/${t.rec.year}/${t.rec.entryNo}`,
        year: t.rec.year,
        entryNo: t.rec.entryNo,
        pages: [t.page],
        struck: false,
        fields,
        ...(t.rec.notes ? { notes: t.rec.notes } : {}),
      };
    }),
    faults: [],
  };
  writeFileSync(join(dir, 'truth.json'), compactJson(truth));
  return { files, truth, entries: entries.length };
}

/** Pretty JSON with one text line / field / box per line: readable in a diff, a third of the size. */
function compactJson(x: unknown): string {
  return `${JSON.stringify(x, null, 1)
    .replace(/\[\s*(-?\d+),\s*(-?\d+),\s*(-?\d+),\s*(-?\d+)\s*\]/g, '[$1, $2, $3, $4]')
    .replace(/\{\n\s*"text": (".*?"),\n\s*"box": (\[.*?\])\n\s*\}/g, '{ "text": $1, "box": $2 }')
    .replace(/\{\n\s*"value": (".*?"),\n\s*"page": (\d+),\n\s*"box": (\[.*?\])\n\s*\}/g, '{ "value": $1, "page": $2, "box": $3 }')}\n`;
}

// ───────────────────────────── fonts ─────────────────────────────

/**
 * Fonts are loaded from this machine at generation time; none is shipped. Printed/typed text needs
 * Debian's fonts-liberation2 and fonts-freefont-ttf; hand-writing uses Patrick Hand (OFL) from the npm
 * package @fontsource/patrick-hand (latin + latin-ext + vietnamese subsets registered under one name).
 */
const FONTS: { family: string; files: string[][]; install: string }[] = [
  {
    family: SERIF,
    files: [['/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf'], ['/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf', '/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf']],
    install: 'apt-get install fonts-liberation2',
  },
  { family: MONO, files: [['/usr/share/fonts/truetype/freefont/FreeMono.ttf']], install: 'apt-get install fonts-freefont-ttf' },
  {
    family: HAND,
    files: ['latin', 'latin-ext', 'vietnamese'].map((subset) =>
      [process.env.CIVREG_FONTSOURCE_DIR ?? '', join(REPO, 'node_modules'), '/tmp/civreg-fonts/node_modules']
        .filter(Boolean)
        .map((root) => join(root, '@fontsource/patrick-hand/files', `patrick-hand-${subset}-400-normal.woff2`)),
    ),
    install: 'npm install --prefix /tmp/civreg-fonts @fontsource/patrick-hand   (or set CIVREG_FONTSOURCE_DIR to a node_modules holding it)',
  },
];

function loadFonts(): void {
  for (const f of FONTS) {
    for (const candidates of f.files) {
      const path = candidates.find((p) => existsSync(p));
      if (!path) throw new Error(`font ${f.family} not found (looked in ${candidates.join(', ')}); install it: ${f.install}`);
      if (!GlobalFonts.registerFromPath(path, f.family)) throw new Error(`could not load font ${path}`);
    }
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const outDir = resolve(outIdx >= 0 ? at(args, outIdx + 1) : join(REPO, 'samples'));
  loadFonts();
  mkdirSync(outDir, { recursive: true });
  for (const b of BOOKS) rmSync(join(outDir, b.id), { recursive: true, force: true });
  const rng = new Rng(SEED);
  const manifest = { version: 1, seed: SEED, generator: 'scripts/make-samples.ts', books: [] as unknown[] };
  for (const spec of BOOKS) {
    const res = await renderBook(spec, outDir, rng);
    manifest.books.push({
      id: spec.id,
      registerType: spec.registerType,
      era: spec.era,
      office: spec.office,
      bookNo: spec.bookNo,
      years: [spec.year],
      files: res.files,
      pages: spec.entriesPerPage.length,
      entries: res.entries,
      dpi: spec.dpi,
      description: spec.describe,
    });
    console.log(`${spec.id}: ${spec.entriesPerPage.length} page(s), ${res.entries} entries → ${res.files.join(', ')}`);
  }
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const listed = readdirSync(outDir);
  console.log(`wrote ${outDir}: ${listed.join(', ')}`);
}

await main();
