/**
 * The administrative heading of an extract (Decree 30/2020, the extract forms of Circular 04/2020): top left the
 * issuing authority, "ỦY BAN NHÂN DÂN" of its unit ("ỦY BAN NHÂN DÂN / QUẬN HAI BÀ TRƯNG"), or a body of that
 * people's committee under it ("ỦY BAN NHÂN DÂN QUẬN 1" over "PHÒNG TƯ PHÁP"); top right the national motto; under
 * it the place and the day the extract is signed. The authority that issues extracts today is set per office or for
 * the deployment (issuer.ts); without it, worked out here from the office's name as the archive holds it
 * ("Quận Hai Bà Trưng", "UBND Phường Bạch Đằng", "Phòng Tư pháp Quận 1").
 */

/** The people's committee an office's name may start with. */
const OFFICE_PREFIX = /^(?:(?:ủy|uỷ) ban nhân dân|ubnd)\s+/iu;
/** Unit words, left out of the place an extract is dated at ("Hai Bà Trưng, ngày …") but kept before a number ("Quận 1"). */
const UNIT_PREFIX = /^(?:thành phố|thị xã|thị trấn|quận|huyện|phường|xã|đặc khu|tỉnh|tp\.?)\s+(?=\p{L})/iu;
/** A body of a people's committee that registers civil status in its name, followed by its unit's name. */
const BODY_OF_COMMITTEE = /^(phòng tư pháp|sở tư pháp)\s+(.+)$/iu;

export const NATIONAL_HEADING = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'] as const;

/** Upper case the Vietnamese way, NFC. */
const upper = (text: string) => text.normalize('NFC').toLocaleUpperCase('vi');

/**
 * The top-left heading of an extract: `superior` (a line in a plain face) over `issuer` (bold lines), each line
 * wrapped later within the heading's column. For a people's committee that issues itself, `superior` is null and
 * `issuer` its full name, "ỦY BAN NHÂN DÂN" on a line of its own as the forms print it.
 *
 * @example officeHeading('Quận Hai Bà Trưng') // { superior: null, issuer: ['ỦY BAN NHÂN DÂN', 'QUẬN HAI BÀ TRƯNG'] }
 * @example officeHeading('Phòng Tư pháp Quận 1') // { superior: 'ỦY BAN NHÂN DÂN QUẬN 1', issuer: ['PHÒNG TƯ PHÁP'] }
 */
export function officeHeading(officeName: string): IssuerHeading {
  const name = officeName.trim().replace(/\s+/g, ' ');
  const body = BODY_OF_COMMITTEE.exec(name);
  if (body) return { superior: `ỦY BAN NHÂN DÂN ${upper(ownUnit(body[2]!))}`, issuer: [upper(body[1]!)] };
  return { superior: null, issuer: ['ỦY BAN NHÂN DÂN', upper(ownUnit(name))] };
}

/** The heading's lines: `superior` in a plain face (or none), over the issuer's own lines in bold. */
export interface IssuerHeading {
  superior: string | null;
  issuer: string[];
}

/**
 * The unit itself, without the units above it that an office's name may add after a comma ("Huyện Đông Hưng, Tỉnh
 * Thái Bình"): the heading names the committee, not its province.
 */
const ownUnit = (name: string): string => name.split(',')[0]!.trim().replace(OFFICE_PREFIX, '');

/**
 * The place of an extract's place-and-date line, worked out from an office's name: the office's place without its
 * unit word (kept before a number, "Quận 1"); the line leaves room for the day the officer signs it, written by hand as the extract's number is. civreg makes the electronic
 * copy; the extract is issued when an officer signs and stamps the printed paper, which may be another day, so the
 * paper never carries a day of issue the software chose in advance (the seal holds when the copy was made).
 *
 * @example officePlace('UBND Phường Bạch Đằng') // 'Bạch Đằng'
 */
export function officePlace(officeName: string): string {
  const name = officeName.trim().replace(/\s+/g, ' ');
  return ownUnit(BODY_OF_COMMITTEE.exec(name)?.[2] ?? name).replace(UNIT_PREFIX, '');
}

/** The place-and-date line for a place, the day left for the signer (see officePlace). */
export const issuePlaceLine = (place: string): string => `${place}, ngày ....... tháng ....... năm ..........`;

/** dd/mm/yyyy on Vietnam's calendar: the day an electronic copy was made, as the seal holds it. */
export const vietnamDay = (at: Date): string =>
  new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(at);
