/**
 * A book number as people write it ("01", "01/2010", "1/KS") or as it is stored ("1"), reduced to what tells
 * the books of one office apart: without leading zeros, a trailing year ("/2010") or a trailing register mark
 * ("/KS", "/KT"). Used wherever one book is named by number: change references and the lookup API. Pages
 * judged misfiled by their entries' readings use the coarser `bookNumberKey` below.
 * Keep `bookNoKeySql` in step with it.
 *
 * @example
 * bookNoKey('01/2010'); // '1'
 * bookNoKey('01/KS');   // '1'
 * bookNoKey('01-BS');   // '1-BS' (a copy book is another book)
 */
export const bookNoKey = (text: string): string => {
  let key = text.trim();
  for (let i = 0; i < 2; i++) key = key.replace(/\s*\/\s*(\d{4}|[A-Za-z]{1,3})$/, '');
  return key.replace(/^0+(?=\d)/, '');
};

/** bookNoKey in SQL (`column` a trusted expression). Both take off at most two suffixes ("01/KS/2010"). */
export const bookNoKeySql = (column: string): string => {
  const suffix = (inner: string) => `regexp_replace(${inner}, '\\s*/\\s*([0-9]{4}|[A-Za-z]{1,3})$', '')`;
  return `regexp_replace(${suffix(suffix(`btrim(${column})`))}, '^0+(?=[0-9])', '')`;
};

/**
 * The number a book number as READ starts with, without leading zeros ("02/2008" → "2", "01/KS" → "1"); null
 * without one. Coarser than `bookNoKey` on purpose: OCR reads a number's figures far better than what follows
 * them, so a page whose entries name another book is judged by its figures alone (src/extract/misfiled.ts).
 */
export const bookNumberKey = (text: string | null): string | null => /^0*(\d+)/.exec(text?.trim() ?? '')?.[1] ?? null;
