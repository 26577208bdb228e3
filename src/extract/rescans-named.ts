/**
 * Pages scanned twice told by what their entries say (src/extract/book-checks.ts): the people each entry names, read
 * alike on two pages of a book. The pixels (src/imaging/fingerprint.ts) cannot tell a page from its rescan in a book
 * of too few single pages to show what the printed form is (seed 3346 b04: a page, a spread, the page again), and the
 * numbers cannot where no entry number was read (typed numbers run onto the column's rule).
 */
import levenshtein from 'fast-levenshtein';

export interface NamedEntry {
  id: number;
  pageId: number;
  /** Delivery order of the page within the book. */
  pageOrder: number;
  /** The people the entry names, as read (accepted or not), by field: fullName, fatherName, husbandName… */
  names: Readonly<Record<string, string | null>>;
}

/** Names the same on many entries of a book (the registrar, often a parent as declarant): no sign of one entry. */
export const NAME_FIELDS_SET_ASIDE: ReadonlySet<string> = new Set(['registrarName', 'declarantName']);

/** Names two entries must share (each read alike: the child and a parent, both spouses) to be one entry. */
const SAME_ENTRY_NAMES = 2;
/** Entries a page must share with an earlier page, and their share of the smaller page's, to be its second scan. */
const SAME_PAGE_ENTRIES = 2;
const SAME_PAGE_SHARE = 0.6;

/**
 * The person an entry registers, by the fields that name them: the child, the deceased, the person whose status
 * changed, or both spouses. Brothers and sisters share their parents' names: only the entry's own person tells two
 * registrations of one family apart, so two entries are one only when these are among the names they share.
 */
const OWN_PERSON: readonly (readonly string[])[] = [['fullName'], ['personName'], ['husbandName', 'wifeName']];

/** A name as its letters: OCR reads a rule or a speck before it as a mark (")Nguyễn", "¡Nguyễn") a scan apart. */
const letters = (name: string) => name.normalize('NFC').toLowerCase().replace(/[^\p{L} ]/gu, '').replace(/\s+/g, ' ').trim();

/** Two readings of one name: the same letters, but for one (a mark before it read as a letter: "?Nguyễn", "PNguyễn"). */
const sameName = (a: string, b: string) => a.length >= 5 && b.length >= 5 && levenshtein.get(a, b) <= 1;

/** The fields naming an entry's own person, all read (`OWN_PERSON`); none when the entry names no one so. */
const ownFields = (e: NamedEntry) => OWN_PERSON.find((fields) => fields.every((f) => e.names[f])) ?? null;

function sameEntry(a: NamedEntry, b: NamedEntry): boolean {
  const own = ownFields(a);
  if (!own || !own.every((f) => b.names[f] && sameName(letters(a.names[f]!), letters(b.names[f]!)))) return false;
  let shared = 0;
  for (const [field, value] of Object.entries(a.names)) {
    if (NAME_FIELDS_SET_ASIDE.has(field)) continue;
    const other = b.names[field];
    if (!value || !other) continue;
    if (sameName(letters(value), letters(other))) shared++;
  }
  return shared >= SAME_ENTRY_NAMES;
}

/**
 * Keys of a name that any reading of it one letter apart shares (the name, and the name with each letter left out):
 * entries are compared only with those whose own person's name shares one, not every entry with every other.
 */
function nameKeys(e: NamedEntry): string[] {
  const own = ownFields(e);
  if (!own) return [];
  const name = letters(e.names[own[0]!]!);
  if (name.length < 5) return [];
  const keys = new Set([name]);
  for (let k = 0; k < name.length; k++) keys.add(name.slice(0, k) + name.slice(k + 1));
  return [...keys].map((key) => `${own[0]}:${key}`);
}

/**
 * Each page most of whose entries (two or more, and at least three in five of the smaller page's) name the same
 * people as an earlier page's entries: that page's second scan, with the page it repeats and how many entries agree.
 * Two registrations of one family name the same parents, but not the same child; one entry is compared only with the
 * entries whose own person's name is within a letter of its own (a few, not the book's).
 */
export function pagesNamedAlike(entries: readonly NamedEntry[]): { pageId: number; of: number; entries: number }[] {
  const pages = new Map<number, { order: number; entries: NamedEntry[] }>();
  const byKey = new Map<string, NamedEntry[]>();
  for (const e of entries) {
    const page = pages.get(e.pageId) ?? { order: e.pageOrder, entries: [] };
    page.entries.push(e);
    pages.set(e.pageId, page);
    for (const key of nameKeys(e)) {
      const alike = byKey.get(key);
      if (alike) alike.push(e);
      else byKey.set(key, [e]);
    }
  }
  // the pages other than its own on which each entry has an entry alike
  const alikeOn = new Map<NamedEntry, Set<number>>();
  for (const e of entries) {
    const candidates = new Set(nameKeys(e).flatMap((key) => byKey.get(key) ?? []));
    const on = new Set<number>();
    for (const f of candidates) if (f.pageId !== e.pageId && !on.has(f.pageId) && sameEntry(e, f)) on.add(f.pageId);
    alikeOn.set(e, on);
  }
  const ordered = [...pages.entries()].sort((a, b) => a[1].order - b[1].order);
  const found: { pageId: number; of: number; entries: number }[] = [];
  const rescans = new Set<number>();
  for (let j = 1; j < ordered.length; j++) {
    const [pageId, page] = ordered[j]!;
    for (let i = 0; i < j; i++) {
      const [firstId, first] = ordered[i]!;
      if (rescans.has(firstId)) continue;
      const agreeing = page.entries.filter((e) => alikeOn.get(e)!.has(firstId)).length;
      if (agreeing >= SAME_PAGE_ENTRIES && agreeing >= SAME_PAGE_SHARE * Math.min(page.entries.length, first.entries.length)) {
        found.push({ pageId, of: firstId, entries: agreeing });
        rescans.add(pageId);
        break;
      }
    }
  }
  return found;
}
