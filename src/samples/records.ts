/**
 * Register entries: first the event (who, when, where: facts that stay true), then its description as one
 * book writes it (display text per item plus the normalised truth value of each field). Keeping the two
 * apart is what lets a re-registration or a second copy write the same event again in another era's words.
 */
import type { NoteKind } from '../../schemas/entries.ts';
import { BookNames, drawName, fullName, spellingVariant, type PersonName } from './names.ts';
import { drawAddress, drawHometown, drawInstitution, placeParts, provinceOf, ID_PROVINCE_CODES, writePlace, type PlaceRef, type PlaceStyle } from './places.ts';
import { CMND_FROM_YEAR, ERA_STYLES, type Era, type RegisterType } from './eras.ts';
import { eraOfYear } from '../../schemas/jobs.ts';
import type { Rng, Weighted } from './rng.ts';
import {
  addDays, capFirst, dateInFigures, dateInWords, isoTime, isoWithPrecision, nfc, oldIdCardNumber, personalIdNumber, randomDate, timeInFigures, timeInWords,
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
  | { kind: 'guardianship'; guardian: Person; relation: string; ward: Person };

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
