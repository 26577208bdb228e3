/**
 * Register entries: first the event (who, when, where: facts that stay true), then its description as one
 * book writes it (display text per item plus the normalised truth value of each field). Keeping the two
 * apart is what lets a re-registration or a second copy write the same event again in another era's words.
 */
import type { NoteKind } from '../../schemas/entries.ts';
import { BookNames, drawName, fullName, spellingVariant, SURNAME_VARIANTS, type PersonName } from './names.ts';
import { drawAddress, drawHometown, drawInstitution, placeParts, provinceOf, ID_PROVINCE_CODES, writePlace, type PlaceRef, type PlaceStyle } from './places.ts';
import { CMND_FROM_YEAR, ERA_STYLES, type Era, type RegisterType } from './eras.ts';
import { eraOfYear } from '../../schemas/jobs.ts';
import type { Rng, Weighted } from './rng.ts';
import {
  addDays, capFirst, dateInFigures, dateInWords, isoDate, isoTime, isoWithPrecision, nfc, oldIdCardNumber, parseIso, personalIdNumber, randomDate, timeInFigures, timeInWords,
  type DatePrecision, type FigureStyle, type Sex, type WordStyle, type Ymd,
} from './vietnamese.ts';

/** One thing written in an entry. `value` set ⇒ it is the truth field named by its item key. */
export interface Item {
  text: string;
  value?: string;
  /** Written later, by another hand than the entry (margin notes). */
  later?: boolean;
}

export type TruthNote = {
  kind: NoteKind;
  field?: string;
  old?: string;
  new?: string;
  date?: string;
};

interface Person {
  name: PersonName;
  sex: Sex;
  birth: Ymd;
  /** How much of the date of birth the register gives for this person. */
  precision: DatePrecision;
  ethnicity: string;
  home: PlaceRef;
}

export type RegisterEvent =
  | { kind: 'birth'; child: Person; birthPlace: PlaceRef; hometownSeed: number; mother?: Person; father?: Person; declarant: { name: PersonName; relation: string } }
  | { kind: 'death'; person: Person; death: Ymd; hour: number; minute: number; place: PlaceRef; cause: string; noticeNo?: number; declarant: { name: PersonName; relation: string } }
  | { kind: 'marriage'; husband: Person; wife: Person }
  | { kind: 'recognition'; parent: Person; relation: 'Cha' | 'Mẹ'; child: Person }
  | { kind: 'guardianship'; guardian: Person; relation: string; ward: Person }
  | ChangeEvent;

/**
 * The entry of another book a change refers to, as that book wrote it (truth values of its fields). `key` is
 * the corpus entry key, null for a book not in the corpus (not scanned, or not yet).
 */
export interface ChangeTarget {
  key: string | null;
  type: 'birth' | 'marriage' | 'death';
  office: string;
  bookNo: string;
  year: number;
  entryNo: number;
  registered: Ymd;
  fields: Record<string, string>;
}

/** A change or correction of an entry of another book, registered in a register of changes. */
export interface ChangeEvent {
  kind: 'change';
  target: ChangeTarget;
  /** What is changed: note kind, the target's field, its value before and after (normal forms). */
  change: { kind: 'correction' | 'change_of_name'; field: string; old: string; new: string };
  /** The target's field holding the person's name and birth date. */
  person: { nameField: string; birthField: string };
  declarant: { name: PersonName; relation: string };
  decisionNo: number;
}

/** Whose name a register type's entry is about (a marriage: either spouse), and their birth date's field. */
const CHANGE_SUBJECTS: Record<ChangeTarget['type'], [name: string, birth: string][]> = {
  birth: [['fullName', 'birthDate']],
  death: [['fullName', 'birthDate']],
  marriage: [['husbandName', 'husbandBirthDate'], ['wifeName', 'wifeBirthDate']],
};

const TONES = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];

/** A name with one tone mark wrong (or added): the commonest slip of a clerk writing Vietnamese names. */
export function misspell(r: Rng, name: string): string {
  const words = name.split(' ');
  const i = words.length - 1;
  const word = (words[i] ?? '').normalize('NFD');
  const tone = TONES.find((t) => word.includes(t));
  const other = r.pick(TONES.filter((t) => t !== tone));
  // in decomposed form a vowel's hat, breve or horn follows it: the tone goes after those ("Hân" → "Hấn", not "Há̂n")
  const changed = tone ? word.replace(tone, other) : word.replace(/([aeiouy][\u0302\u0306\u031b]?)/i, `$1${other}`);
  words[i] = changed.normalize('NFC');
  return nfc(words.join(' '));
}

/** Names that suit either sex, so a change of name needs no knowledge of the person. */
const NEW_GIVEN = ['Minh Anh', 'Bảo An', 'Khánh An', 'Ngọc Minh', 'Hoàng Anh', 'Tuệ Minh', 'Gia Hân', 'Thanh Bình'];
export function changeGivenName(r: Rng, name: string): string {
  const surname = name.split(' ')[0] ?? '';
  return nfc(`${surname} ${r.pick(NEW_GIVEN)}`);
}


/**
 * A change registered on `reg` of `target`: a birth date wrong by ten days, a name with a tone mark wrong, or
 * (on a birth) a new given name; requested by the person, or by a parent for a minor.
 */
export function drawChange(r: Rng, reg: Ymd, target: ChangeTarget, names: BookNames): ChangeEvent {
  const [nameField, birthField] = r.pick(CHANGE_SUBJECTS[target.type]);
  const name = target.fields[nameField]!;
  const born = target.fields[birthField];
  const registered = isoDate(target.registered);
  let change: ChangeEvent['change'] | null = null;
  if (born?.length === 10 && r.chance(0.35)) {
    const d = parseIso(born);
    const fixed = { ...d, d: d.d > 10 ? d.d - 10 : d.d + 10 };
    if (fixed.d <= 28 && isoDate(fixed) <= registered) change = { kind: 'correction', field: birthField, old: born, new: isoDate(fixed) };
  }
  if (!change && target.type === 'birth' && r.chance(0.4)) {
    change = { kind: 'change_of_name', field: nameField, old: name, new: changeGivenName(r, name) };
  }
  if (!change) change = { kind: 'correction', field: nameField, old: name, new: correctedName(r, name) };
  const age = born ? reg.y - Number(born.slice(0, 4)) : 30;
  const parent = age < 18 && target.type === 'birth';
  const declarant = parent
    ? { name: names.draw(r.chance(0.5) ? 'female' : 'male', reg.y - age - r.int(22, 38)), relation: r.chance(0.5) ? 'Mẹ' : 'Cha' }
    : { name: splitName(name), relation: 'Bản thân' };
  return { kind: 'change', target, change, person: { nameField, birthField }, declarant, decisionNo: r.int(2, 480) };
}

/**
 * The name as the person's papers have it, where the register has it otherwise: the regional variant of the
 * surname (Hoàng for Huỳnh), a middle name the clerk left out ("Thị Thu"), or another middle name.
 */
function correctedName(r: Rng, name: string): string {
  const words = name.split(' ');
  const variant = SURNAME_VARIANTS[words[0]!];
  if (variant && r.chance(0.5)) return nfc([variant, ...words.slice(1)].join(' '));
  if (words.length === 3 && words[1] === 'Thị') return nfc([words[0], 'Thị', r.pick(['Thu', 'Ngọc', 'Kim', 'Thanh', 'Minh']), words[2]].join(' '));
  const middle = r.pick(['Minh', 'Thanh', 'Ngọc', 'Xuân'].filter((m) => m !== words.slice(1, -1).join(' ')));
  return nfc([words[0], middle, words.at(-1)].join(' '));
}

/** A full name as surname, middle and given name (the given name is the last word). */
function splitName(name: string): PersonName {
  const words = name.split(' ');
  return { surname: words[0]!, middle: words.slice(1, -1).join(' '), given: words.at(-1)! } as PersonName;
}

/** What the register of changes writes for the target's register and the changed field. */
const REF_TYPES: Record<ChangeTarget['type'], string> = { birth: 'Khai sinh', marriage: 'Kết hôn', death: 'Khai tử' };
const changeContent = (c: ChangeEvent['change']): string =>
  `${c.kind === 'change_of_name' ? 'Thay đổi' : 'Cải chính'} ${/Date$/.test(c.field) ? 'ngày, tháng, năm sinh' : 'họ, chữ đệm, tên'}`;

/** How one book writes its entries: fixed per book, drawn from its era's style. */
export interface WritingStyle {
  era: Era;
  figures: FigureStyle;
  places: PlaceStyle;
  words: WordStyle;
  sexWords: [string, string];
}

export interface Described {
  items: Record<string, Item>;
  /** Parents' ages where the book records an age instead of a birth year (not a FIELD_KEYS field). */
  ages?: Record<string, number>;
}

const ETHNICITIES: Weighted<string> = [['Kinh', 96], ['Mường', 1.2], ['Tày', 1], ['Hoa', 0.8], ['Thái', 0.5], ['Nùng', 0.5]];
const sexOf = (r: Rng): Sex => (r.chance(0.512) ? 'male' : 'female');

const DEATH_CAUSES: { from: number; to: number; causes: Weighted<string> }[] = [
  { from: 1956, to: 1990, causes: [['Già yếu', 6], ['Lao phổi', 3], ['Sốt rét', 2], ['Viêm phổi', 3], ['Bệnh tim', 2], ['Ỉa chảy', 1], ['Tai nạn', 1], ['Ung thư gan', 1], ['Cao huyết áp', 1]] },
  { from: 1990, to: 2100, causes: [['Già yếu', 5], ['Ung thư phổi', 2], ['Ung thư gan', 2], ['Tai biến mạch máu não', 3], ['Nhồi máu cơ tim', 2], ['Suy tim', 2], ['Tai nạn giao thông', 1], ['Viêm phổi', 1], ['Đái tháo đường', 1], ['Bệnh lý', 2]] },
];

/** The people and facts of one event registered on `reg` in the office's district. */
export function drawEvent(type: RegisterType, r: Rng, reg: Ymd, district: string, ward: number, names: BookNames): RegisterEvent {
  const localHome = (): PlaceRef => drawAddress(r, district, reg.y, r.chance(0.7) ? ward : undefined);
  const person = (sex: Sex, birth: Ymd, precision: DatePrecision, surname?: string): Person => ({
    name: names.draw(sex, birth.y, surname), sex, birth, precision, ethnicity: r.weighted(ETHNICITIES), home: localHome(),
  });
  if (type === 'birth') {
    // most births are registered within the legal window (weeks); a few years late
    const delay = r.chance(0.93) ? r.int(3, 58) : r.int(60, 365 * 6);
    const birth = addDays(reg, -delay);
    const fatherAge = r.int(20, 44);
    const motherAge = Math.max(18, Math.min(44, fatherAge + r.int(-8, 3)));
    const fatherBirth = randomDate(r, { y: birth.y - fatherAge - 1, m: birth.m, d: 1 }, addDays(birth, -365 * fatherAge));
    const motherBirth = randomDate(r, { y: birth.y - motherAge - 1, m: birth.m, d: 1 }, addDays(birth, -365 * motherAge));
    const fatherKnown = r.chance(0.95);
    const father = fatherKnown ? person('male', fatherBirth, 'year') : undefined;
    const mother = person('female', motherBirth, 'year');
    if (father && r.chance(0.85)) mother.home = father.home;
    const sex = sexOf(r);
    const child: Person = { name: names.draw(sex, birth.y, father?.name.surname ?? mother.name.surname), sex, birth, precision: 'day', ethnicity: father?.ethnicity ?? mother.ethnicity, home: mother.home };
    const relation = r.weighted<string>(father ? [['Cha', 55], ['Mẹ', 25], ['Ông nội', 7], ['Bà nội', 7], ['Bà ngoại', 6]] : [['Mẹ', 80], ['Bà ngoại', 20]]);
    const declarant =
      relation === 'Cha' && father ? father.name
      : relation === 'Mẹ' ? mother.name
      : drawName(r, relation.startsWith('Ông') ? 'male' : 'female', birth.y - r.int(45, 65), relation.endsWith('nội') ? father?.name.surname : undefined);
    return { kind: 'birth', child, birthPlace: drawInstitution(r, birth, 'births', child.home), hometownSeed: r.int(1, 2 ** 30), mother, father, declarant: { name: declarant, relation } };
  }
  if (type === 'death') {
    // life expectancy rose from ~40 (1950s) to ~74 (2020s): fewer old deaths in old books
    const elderly = reg.y < 1975 ? 3 : 6;
    const age = r.weighted<number>([[r.int(0, 5), reg.y < 1975 ? 2 : 0.5], [r.int(6, 40), 1.5], [r.int(41, 65), 3], [r.int(66, 92), elderly], [r.int(93, 101), 0.2]]);
    const death = addDays(reg, -r.int(0, 14));
    const birth = randomDate(r, { y: death.y - age - 1, m: death.m, d: death.d }, addDays(death, -365 * age));
    const precision: DatePrecision = r.chance(ERA_STYLES[eraOfYear(reg.y)].yearOnlyShare) ? 'year' : r.chance(ERA_STYLES[eraOfYear(reg.y)].monthOnlyShare) ? 'month' : 'day';
    const sex = sexOf(r);
    const deceased = person(sex, birth, precision);
    const place = drawInstitution(r, death, 'deaths', deceased.home);
    const relation = r.weighted<string>(age < 18 ? [['Cha', 3], ['Mẹ', 2]] : sex === 'male' ? [['Con trai', 4], ['Vợ', 2], ['Con gái', 2], ['Cháu', 1]] : [['Con trai', 4], ['Chồng', 2], ['Con gái', 2], ['Cháu', 1]]);
    const declarantSex: Sex = ['Con trai', 'Chồng', 'Cha', 'Cháu'].includes(relation) ? 'male' : 'female';
    const declarantYear = relation === 'Vợ' || relation === 'Chồng' ? birth.y + r.int(-4, 4) : relation === 'Cha' || relation === 'Mẹ' ? birth.y - r.int(22, 38) : birth.y + r.int(20, 38) + (relation === 'Cháu' ? 22 : 0);
    const keepsSurname = sex === 'male' && ['Con trai', 'Con gái', 'Cháu'].includes(relation);
    const declarant = names.draw(declarantSex, Math.min(declarantYear, reg.y - 18), keepsSurname ? deceased.name.surname : undefined);
    const cause = r.weighted((DEATH_CAUSES.find((c) => death.y >= c.from && death.y < c.to) ?? DEATH_CAUSES[0]!).causes);
    const atHome = place.institution?.startsWith('Tại') ?? false;
    return {
      kind: 'death', person: deceased, death, hour: r.int(0, 23), minute: r.pick([0, 0, 5, 10, 15, 20, 25, 30, 30, 40, 45, 50, 55]), place, cause,
      noticeNo: atHome ? undefined : r.int(3, 900), declarant: { name: declarant, relation },
    };
  }
  if (type === 'recognition') {
    // mostly a father recognising a young child born outside marriage; now and then a mother, or a grown child
    const relation = r.chance(0.85) ? 'Cha' : 'Mẹ';
    const childAge = r.chance(0.7) ? r.int(0, 2) : r.int(3, 17);
    const childBirth = randomDate(r, { y: reg.y - childAge - 1, m: reg.m, d: reg.d }, addDays(reg, -30 - 365 * childAge));
    const parentAge = r.int(20, 45);
    const parent = person(relation === 'Cha' ? 'male' : 'female', randomDate(r, { y: childBirth.y - parentAge - 1, m: 1, d: 1 }, addDays(childBirth, -365 * parentAge)), 'day');
    const sex = sexOf(r);
    const child: Person = { ...person(sex, childBirth, 'day', relation === 'Cha' && r.chance(0.6) ? parent.name.surname : undefined), ethnicity: parent.ethnicity };
    if (r.chance(0.6)) child.home = parent.home;
    return { kind: 'recognition', parent, relation, child };
  }
  if (type === 'guardianship') {
    // a minor whose parents died or cannot care for them, in the care of a grandparent, uncle or aunt
    const wardAge = r.int(0, 17);
    const wardBirth = randomDate(r, { y: reg.y - wardAge - 1, m: reg.m, d: reg.d }, addDays(reg, -30 - 365 * wardAge));
    const relation = r.weighted<string>([['Ông nội', 2], ['Bà nội', 2], ['Bà ngoại', 2], ['Chú', 2], ['Bác', 1], ['Cô', 1], ['Dì', 1], ['Anh', 1]]);
    const older = relation.startsWith('Ông') || relation.startsWith('Bà') ? r.int(45, 70) : relation === 'Anh' ? r.int(18, 30) : r.int(25, 50);
    const guardianSex: Sex = ['Ông nội', 'Chú', 'Bác', 'Anh'].includes(relation) ? 'male' : 'female';
    const ward = person(sexOf(r), wardBirth, 'day');
    const guardian = person(guardianSex, randomDate(r, { y: wardBirth.y - older - 1, m: 1, d: 1 }, addDays(wardBirth, -365 * older)), 'day', ['Ông nội', 'Chú', 'Bác', 'Anh', 'Cô'].includes(relation) ? ward.name.surname : undefined);
    guardian.ethnicity = ward.ethnicity;
    if (r.chance(0.7)) ward.home = guardian.home;
    return { kind: 'guardianship', guardian, relation, ward };
  }
  const husbandAge = r.int(20, 38);
  const wifeAge = Math.max(18, Math.min(36, husbandAge + r.int(-7, 2)));
  const husbandBirth = randomDate(r, { y: reg.y - husbandAge - 1, m: reg.m, d: 1 }, addDays(reg, -365 * husbandAge));
  const wifeBirth = randomDate(r, { y: reg.y - wifeAge - 1, m: reg.m, d: 1 }, addDays(reg, -365 * wifeAge));
  const era = ERA_STYLES[eraOfYear(reg.y)];
  const precision = (): DatePrecision => (r.chance(era.yearOnlyShare) ? 'year' : 'day');
  const husband = person('male', husbandBirth, precision());
  const wife = person('female', wifeBirth, precision());
  // one spouse often lives elsewhere in the city (or in another district) before the marriage
  if (r.chance(0.5)) wife.home = drawAddress(r, r.chance(0.5) ? district : husband.home.district, reg.y);
  return { kind: 'marriage', husband, wife };
}


/** The same event as a later registration writes it: the same people, spelt the way another clerk did. */
export function respell(r: Rng, ev: RegisterEvent): RegisterEvent {
  const vary = (p: Person): Person => ({ ...p, name: r.chance(0.6) ? spellingVariant(r, p.name) : p.name });
  if (ev.kind === 'birth') return { ...ev, child: vary(ev.child), mother: ev.mother && vary(ev.mother), father: ev.father && vary(ev.father) };
  if (ev.kind === 'death') return { ...ev, person: vary(ev.person) };
  if (ev.kind === 'recognition') return { ...ev, parent: vary(ev.parent), child: vary(ev.child) };
  if (ev.kind === 'guardianship') return { ...ev, guardian: vary(ev.guardian), ward: vary(ev.ward) };
  if (ev.kind === 'change') return ev;
  return { ...ev, husband: vary(ev.husband), wife: vary(ev.wife) };
}

const fld = (text: string, value: string = text): Item => ({ text: nfc(text), value: nfc(value) });
const txt = (text: string): Item => ({ text: nfc(text) });

/** Writes `ref` as of `date` in the book's style; Hà Nội is often left out by old hands. */
function place(r: Rng, ref: PlaceRef, date: Ymd, s: WritingStyle): string {
  const parts = placeParts(ref, date);
  const era = ERA_STYLES[s.era];
  return nfc(writePlace(parts, s.places, r.chance(era.provinceShare)));
}

/** An ID number issued where the person lives (the province code is the holder's, not the office's). */
function idFor(r: Rng, p: Person, reg: Ymd, kind: 'personal' | 'cmnd'): Item {
  const codes = ID_PROVINCE_CODES[provinceOf(p.home, reg)] ?? ID_PROVINCE_CODES['Hà Nội']!;
  return fld(kind === 'personal' ? personalIdNumber(r, codes.personal, p.sex, p.birth.y) : oldIdCardNumber(r, codes.cmnd));
}

/** Describes an event as the book of `s.era` writes it on `reg`: display text and normalised truth values. */
export function describeEvent(r: Rng, ev: RegisterEvent, reg: Ymd, s: WritingStyle, registrar: string): Described {
  const era = ERA_STYLES[s.era];
  const items: Record<string, Item> = {};
  const date = (d: Ymd, precision: DatePrecision = 'day'): Item => fld(dateInFigures(d, s.figures, precision), isoWithPrecision(d, precision));
  const words = (d: Ymd): Item => txt(capFirst(dateInWords(d, s.words)));
  const withWords = r.chance(era.wordsShare);
  let ages: Record<string, number> | undefined;
  if (ev.kind === 'birth') {
    const c = ev.child;
    items.fullName = fld(fullName(c.name));
    items.sex = fld(c.sex === 'male' ? s.sexWords[0] : s.sexWords[1], c.sex);
    items.birthDate = date(c.birth);
    if (withWords) items.birthDateWords = words(c.birth);
    items.birthPlace = fld(place(r, ev.birthPlace, reg, s));
    if (s.era !== '1956-1960') items.hometown = fld(drawHometown(r.fork(`hometown${ev.hometownSeed}`), reg, s.places));
    items.ethnicity = fld(c.ethnicity);
    items.nationality = fld('Việt Nam');
    if (era.idNumbers === 'personal') items.idNumber = idFor(r, c, reg, 'personal');
    for (const [who, p] of [['mother', ev.mother], ['father', ev.father]] as const) {
      if (!p) continue;
      items[`${who}Name`] = fld(fullName(p.name));
      if (era.parentAge) {
        const age = c.birth.y - p.birth.y;
        items[`${who}Age`] = txt(s.era === '1956-1960' || r.chance(0.5) ? `${age} tuổi` : String(age));
        ages = { ...ages, [who]: age };
      } else items[`${who}BirthYear`] = fld(String(p.birth.y));
      items[`${who}Ethnicity`] = fld(p.ethnicity);
      items[`${who}Nationality`] = fld('Việt Nam');
      items[`${who}Residence`] = fld(place(r, p.home, reg, s));
    }
    items.declarantName = fld(fullName(ev.declarant.name));
    items.declarantRelation = fld(ev.declarant.relation);
  } else if (ev.kind === 'death') {
    const p = ev.person;
    items.fullName = fld(fullName(p.name));
    items.sex = fld(p.sex === 'male' ? s.sexWords[0] : s.sexWords[1], p.sex);
    items.birthDate = date(p.birth, p.precision);
    items.ethnicity = fld(p.ethnicity);
    items.nationality = fld('Việt Nam');
    if (era.idNumbers === 'personal') items.idNumber = idFor(r, p, reg, 'personal');
    items.residence = fld(place(r, p.home, reg, s));
    items.deathTime = fld(timeInFigures(ev.hour, ev.minute, s.era === '2016-' ? 'giờ' : r.pick(['giờ', 'giờ', 'h'] as const)), isoTime(ev.hour, ev.minute));
    items.deathDate = date(ev.death);
    if (withWords) items.deathDateWords = txt(capFirst(`${timeInWords(ev.hour, ev.minute)}, ${dateInWords(ev.death, s.words)}`));
    items.deathPlace = fld(ev.place.institution?.startsWith('Tại') ? `${ev.place.institution}, ${place(r, { ...ev.place, institution: undefined }, reg, s)}` : place(r, ev.place, reg, s));
    items.deathCause = fld(ev.cause);
    if (ev.noticeNo !== undefined) items.deathNoticeRef = fld(s.era === '2016-' || s.era === '2006-2015' ? `Giấy báo tử số ${ev.noticeNo}/GBT` : `Số ${ev.noticeNo}/GBT`);
    items.declarantName = fld(fullName(ev.declarant.name));
    items.declarantRelation = fld(s.era === '2016-' ? ev.declarant.relation : ev.declarant.relation.toLowerCase());
  } else if (ev.kind === 'recognition' || ev.kind === 'guardianship') {
    const [first, second] = ev.kind === 'recognition' ? (['parent', 'child'] as const) : (['guardian', 'ward'] as const);
    const people = ev.kind === 'recognition' ? [ev.parent, ev.child] : [ev.guardian, ev.ward];
    for (const [who, p] of [[first, people[0]!], [second, people[1]!]] as const) {
      items[`${who}Name`] = fld(fullName(p.name));
      items[`${who}BirthDate`] = date(p.birth, p.precision);
      items[`${who}Ethnicity`] = fld(p.ethnicity);
      items[`${who}Nationality`] = fld('Việt Nam');
      items[`${who}Residence`] = fld(place(r, p.home, reg, s));
      // a child has a personal number from birth since 2016; an identity card only from 14
      const idKind = era.idNumbers === 'personal' ? 'personal' : reg.y - p.birth.y >= 14 ? 'cmnd' : undefined;
      if (idKind && r.chance(0.95)) items[`${who}IdNumber`] = idFor(r, p, reg, idKind);
      if (who === first) items[`${first}Relation`] = fld(ev.relation);
    }
  } else if (ev.kind === 'change') {
    const { target, change } = ev;
    const figures = (iso: string) => dateInFigures(parseIso(iso), s.figures === 'ngày d tháng m năm yyyy' ? 'dd/mm/yyyy' : s.figures);
    // a date as the book writes dates, at the precision the entry referred to gives it
    const asWritten = (iso: string) => {
      const precision: DatePrecision = iso.length === 4 ? 'year' : iso.length === 7 ? 'month' : 'day';
      return fld(dateInFigures(parseIso(iso), s.figures === 'ngày d tháng m năm yyyy' ? 'dd/mm/yyyy' : s.figures, precision), iso);
    };
    items.personName = fld(target.fields[ev.person.nameField]!);
    const born = target.fields[ev.person.birthField];
    if (born) items.personBirthDate = asWritten(born);
    items.refType = fld(REF_TYPES[target.type]);
    items.refEntryNo = fld(String(target.entryNo));
    items.refBookNo = fld(target.bookNo);
    items.refDate = asWritten(isoDate(target.registered));
    items.refOffice = fld(target.office);
    items.changeContent = fld(changeContent(change));
    const dated = /Date$/.test(change.field);
    items.oldValue = fld(dated ? figures(change.old) : change.old);
    items.newValue = fld(dated ? figures(change.new) : change.new);
    const on = dateInFigures(reg, 'd/m/yyyy');
    items.basis = fld(s.era === '2016-' ? `Tờ khai ngày ${on}` : `Quyết định số ${ev.decisionNo}/${reg.y < 2004 ? 'QĐ-UB' : 'QĐ-UBND'} ngày ${on}`);
    items.declarantName = fld(fullName(ev.declarant.name));
    items.declarantRelation = fld(ev.declarant.relation);
  } else {
    for (const [who, p] of [['husband', ev.husband], ['wife', ev.wife]] as const) {
      items[`${who}Name`] = fld(fullName(p.name));
      items[`${who}BirthDate`] = date(p.birth, p.precision);
      items[`${who}Ethnicity`] = fld(p.ethnicity);
      items[`${who}Nationality`] = fld('Việt Nam');
      items[`${who}Residence`] = fld(place(r, p.home, reg, s));
      const idKind = era.idNumbers === 'personal' ? 'personal' : era.idNumbers === 'cmnd' && reg.y >= CMND_FROM_YEAR ? 'cmnd' : undefined;
      if (idKind && r.chance(0.97)) items[`${who}IdNumber`] = idFor(r, p, reg, idKind);
    }
  }
  items.registrationDate = date(reg);
  items.registrarName = fld(registrar);
  return { items, ages };
}
