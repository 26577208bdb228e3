/**
 * The stream of entries of one book in registration order: registration dates a few days apart, entry
 * numbers restarting every 1 January, and the things that happen to entries in real books (numbers
 * skipped, an entry struck out and written again, margin notes added years later, re-registrations).
 */
import { drawName, fullName, type BookNames } from './names.ts';
import { changeGivenName, describeEvent, drawChange, drawEvent, misspell, respell, type ChangeTarget, type Described, type RegisterEvent, type TruthNote, type WritingStyle } from './records.ts';
import type { RegisterType } from './eras.ts';
import { type Rng } from './rng.ts';

export { misspell };
import { addDays, compareDates, dateInFigures, dayNumber, isoDate, nfc, parseIso, type Ymd } from './vietnamese.ts';
import { districtByKey, placeParts } from './places.ts';

export interface EntryRecord extends Described {
  year: number;
  entryNo: number;
  registration: Ymd;
  notes: TruthNote[];
  event: RegisterEvent;
  struck: boolean;
  /** Entry key (`<book>/<year>/<no>`) of the earlier registration of the same event. */
  reRegistrationOf?: string;
}

export interface EntrySourceOptions {
  type: RegisterType;
  style: WritingStyle;
  district: string;
  ward: number;
  start: Ymd;
  /** No registration after this date (end of the era window, or the 2025 reform for a district book). */
  end: Ymd;
  /** Entries a year in this office: sets the first entry number and the spacing of dates. */
  volume: number;
  registrars: string[];
  /** "Quyển số" as the book writes it. */
  bookNo: string;
  names: BookNames;
  rates: { gap: number; struck: number; note: number; reRegistration: number };
  /** An event registered earlier (in another book) to register again, if any fits. */
  takeEarlierEvent?: (reg: Ymd) => { event: RegisterEvent; key: string } | undefined;
  /** For a register of changes: the entry of another book the change registered on this day refers to. */
  takeChangeTarget?: (reg: Ymd) => ChangeTarget;
}

/** The last day anything in the corpus may be dated (notes, registrations): the corpus is "as of" then. */
export const CORPUS_END: Ymd = { y: 2025, m: 12, d: 31 };

/** Entries of one book, one at a time; numbers skipped by `rates.gap` show as gaps between written entries. */
export function createEntrySource(o: EntrySourceOptions, r: Rng): { next(): EntryRecord } {
  const pending: EntryRecord[] = [];
  let reg = o.start;
  let year = -1;
  let lastNo = 0;
  const meanGap = 365 / o.volume;
  const registrarFor = (d: Ymd) => o.registrars[Math.floor(dayNumber(d) / 200) % o.registrars.length] ?? o.registrars[0]!;

  function nextNumber(d: Ymd): number {
    if (d.y !== year) {
      const first = year === -1 ? 1 + Math.floor(((dayNumber(d) - dayNumber({ y: d.y, m: 1, d: 1 })) / 365) * o.volume) : 1;
      year = d.y;
      lastNo = first;
      return first;
    }
    if (r.chance(o.rates.gap)) lastNo += r.int(1, 2);
    return ++lastNo;
  }

  function advance(): Ymd {
    const step = r.int(0, Math.max(1, Math.round(2 * meanGap)));
    const next = addDays(reg, step);
    reg = compareDates(next, o.end) > 0 ? o.end : next;
    return reg;
  }

  function build(event: RegisterEvent, d: Ymd, entryNo: number, rr: Rng): EntryRecord {
    const described = describeEvent(rr, event, d, o.style, registrarFor(d));
    described.items.entryNo = { text: String(entryNo) };
    described.items.bookNo = { text: o.style.era === '2006-2015' || o.style.era === '2016-' ? `${o.bookNo}/${d.y}` : o.bookNo };
    return { ...described, year: d.y, entryNo, registration: d, notes: [], event, struck: false };
  }

  function next(): EntryRecord {
    const queued = pending.shift();
    if (queued) return queued;
    const d = advance();
    const rr = r.fork(`entry ${isoDate(d)} ${lastNo}`);
    let event = o.type === 'change' ? drawChange(rr, d, o.takeChangeTarget!(d), o.names) : drawEvent(o.type, rr, d, o.district, o.ward, o.names);
    let reRegistrationOf: string | undefined;
    if (o.takeEarlierEvent && r.chance(o.rates.reRegistration)) {
      const earlier = o.takeEarlierEvent(d);
      if (earlier) {
        event = respell(rr, earlier.event);
        reRegistrationOf = earlier.key;
      }
    }
    if (!reRegistrationOf && r.chance(o.rates.struck)) {
      // a clerk's slip: the entry is struck through and written again correctly under the next number
      const slip = build(misremember(rr, event), d, nextNumber(d), rr.fork('slip'));
      pending.push(finish(build(event, d, nextNumber(d), rr), rr, undefined));
      return { ...slip, struck: true };
    }
    return finish(build(event, d, nextNumber(d), rr), rr, reRegistrationOf);
  }

  function finish(e: EntryRecord, rr: Rng, reRegistrationOf: string | undefined): EntryRecord {
    if (reRegistrationOf) {
      e.reRegistrationOf = reRegistrationOf;
      if (rr.chance(0.6)) addNote(e, { kind: 're_registration' }, 'Đăng ký lại');
      return e;
    }
    // a change's own entry gets no margin note here (the generator has no phrasing for one)
    if (o.type !== 'change' && rr.chance(o.rates.note)) addMarginNote(rr, e);
    return e;
  }

  function addMarginNote(rr: Rng, e: EntryRecord): void {
    const latest = Math.min(dayNumber(CORPUS_END), dayNumber(e.registration) + 365 * 30);
    if (latest - dayNumber(e.registration) < 60) return;
    const when = addDays(e.registration, rr.int(30, latest - dayNumber(e.registration)));
    const decision = `${rr.int(2, 480)}/${when.y < 2004 ? 'QĐ-UB' : 'QĐ-UBND'}`;
    const on = dateInFigures(when, 'd/m/yyyy');
    const kinds = o.type === 'birth' ? ['correction', 'change_of_name', 'death'] : o.type === 'marriage' ? ['divorce', 'correction'] : ['correction'];
    let kind = rr.pick(kinds);
    // rarer notes on a stream of their own, so that adding them left every other note as it was: a father
    // is recognised only on an entry that has none, a guardian registered only while the child is a minor
    const rare = rr.fork('rare notes');
    const fatherless = !e.items.fatherName?.value;
    if (o.type === 'birth' && rare.chance(fatherless ? 0.6 : 0.12)) kind = fatherless ? 'recognition' : 'guardianship';
    const nameKey = o.type === 'marriage' ? rr.pick(['husbandName', 'wifeName']) : o.type === 'recognition' ? 'childName' : o.type === 'guardianship' ? 'wardName' : 'fullName';
    const name = e.items[nameKey];
    if (kind === 'correction' && o.type === 'birth' && e.items.birthDate?.value && rr.chance(0.5)) {
      // the typed or written day is wrong by ten; the page keeps what was written, the note gives the right date
      const truth = parseIso(e.items.birthDate.value);
      const written = { ...truth, d: truth.d > 10 ? truth.d - 10 : truth.d + 10 };
      if (written.d > 28 || compareDates(written, e.registration) > 0) return;
      e.items.birthDate = { text: nfc(dateInFigures(written, o.style.figures)), value: isoDate(written) };
      addNote(e, { kind: 'correction', field: 'birthDate', old: isoDate(written), new: isoDate(truth), date: isoDate(when) }, `Cải chính ngày sinh thành ${dateInFigures(truth, 'dd/mm/yyyy')} theo QĐ số ${decision} ngày ${on}`);
    } else if ((kind === 'correction' || kind === 'change_of_name') && name?.value) {
      const written = kind === 'correction' ? misspell(rr, name.value) : name.value;
      const corrected = kind === 'correction' ? name.value : changeGivenName(rr, name.value);
      if (written === corrected) return;
      e.items[nameKey] = { text: written, value: written };
      const what = kind === 'correction' ? 'Cải chính họ tên' : 'Thay đổi họ tên';
      addNote(e, { kind, field: nameKey, old: written, new: corrected, date: isoDate(when) }, `${what} thành ${corrected} theo QĐ số ${decision} ngày ${on}`);
    } else if ((kind === 'recognition' || kind === 'guardianship') && e.items.birthDate?.value) {
      const born = parseIso(e.items.birthDate.value);
      if (kind === 'guardianship' && compareDates(when, { ...born, y: born.y + 18 }) >= 0) return;
      const who = kind === 'recognition' ? drawName(rare, 'male', born.y - rare.int(22, 40)) : drawName(rare, rare.chance(0.6) ? 'female' : 'male', born.y - rare.int(25, 60));
      const name = fullName(who);
      const registered = `số ${rare.int(1, 120)}/${when.y} ngày ${on}`;
      if (kind === 'recognition') addNote(e, { kind, field: 'fatherName', new: name, date: isoDate(when) }, `Nhận cha cho con: cha là ${name}, ${registered}`);
      else addNote(e, { kind, new: name, date: isoDate(when) }, `Đăng ký giám hộ: người giám hộ là ${name}, ${registered}`);
    } else if (kind === 'divorce') {
      const court = placeParts({ district: o.district, ward: o.ward }, when).district ?? districtByKey(o.district).names.at(-1)!.name;
      addNote(e, { kind: 'divorce', date: isoDate(when) }, `Đã ly hôn theo Bản án số ${rr.int(3, 300)}/${when.y}/HNGĐ-ST ngày ${on} của TAND ${court.replace(/^(\S+)/, (k) => k.toLowerCase())}`);
    } else if (kind === 'death') {
      const reported = addDays(when, rr.int(1, 10));
      if (compareDates(reported, CORPUS_END) > 0) return;
      addNote(e, { kind: 'death', date: isoDate(when) }, `Đã chết ngày ${on}, khai tử số ${rr.int(1, 300)} ngày ${dateInFigures(reported, 'd/m/yyyy')}`);
    }
  }

  return { next };
}

function addNote(e: EntryRecord, note: TruthNote, text: string): void {
  e.notes.push(note);
  e.items.notes = { text: nfc(text), value: nfc(text), later: true };
}

/** An event as a clerk first (wrongly) wrote it before striking it out: a name or a birth date slightly off. */
function misremember(r: Rng, ev: RegisterEvent): RegisterEvent {
  // earlier, never later: a slip must not put a birth or death after its registration
  const shift = (d: Ymd): Ymd => addDays(d, -r.int(1, 9));
  if (ev.kind === 'birth') return { ...ev, child: { ...ev.child, birth: shift(ev.child.birth) } };
  if (ev.kind === 'death') return { ...ev, death: shift(ev.death), person: { ...ev.person, name: { ...ev.person.name, given: misspell(r, ev.person.name.given) } } };
  if (ev.kind === 'recognition') return { ...ev, child: { ...ev.child, birth: shift(ev.child.birth) } };
  if (ev.kind === 'guardianship') return { ...ev, ward: { ...ev.ward, birth: shift(ev.ward.birth) } };
  // the entry referred to written one number off
  if (ev.kind === 'change') return { ...ev, target: { ...ev.target, entryNo: ev.target.entryNo + 1 } };
  return { ...ev, wife: { ...ev.wife, name: { ...ev.wife.name, given: misspell(r, ev.wife.name.given) } } };
}
