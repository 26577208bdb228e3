/**
 * The administrative heading of an extract (Decree 30/2020, the extract forms of Circular 04/2020): top left the
 * issuing authority, "ỦY BAN NHÂN DÂN" of its unit ("ỦY BAN NHÂN DÂN / PHƯỜNG BẠCH MAI"), or a body of that people's
 * committee under it ("ỦY BAN NHÂN DÂN QUẬN 1" over "PHÒNG TƯ PHÁP"); top right the national motto; under it the place
 * and the day the extract is signed. The authority that issues extracts today is set per office or for the deployment
 * (issuer.ts), never worked out from the book's office: since the 2025 reform that is often a body that no longer exists.
 */

export const NATIONAL_HEADING = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'] as const;

/** The heading's lines: `superior` in a plain face (or none), over the issuer's own lines in bold. */
export interface IssuerHeading {
  superior: string | null;
  issuer: string[];
}

/**
 * The place-and-date line for the issuer's place: the line leaves room for the day the officer signs it, written by
 * hand as the extract's number is. civreg makes the electronic copy; the extract is issued when an officer signs and
 * stamps the printed paper, which may be another day, so the paper never carries a day of issue the software chose in
 * advance (the seal holds when the copy was made).
 */
export const issuePlaceLine = (place: string): string => `${place}, ngày ....... tháng ....... năm ..........`;

/** dd/mm/yyyy on Vietnam's calendar: the day an electronic copy was made, as the seal holds it. */
export const vietnamDay = (at: Date): string =>
  new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(at);
