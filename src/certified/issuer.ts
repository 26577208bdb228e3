import { recordAudit } from '../db/audit.ts';
import type { Database, Sql } from '../db/sql.ts';
import type { IssuerHeading } from './heading.ts';

/**
 * The authority that issues an office's certified extracts, as the heading and the place line print it. Since the
 * 2025 reform (district level abolished, registration by communes) a book's office is often a body that no longer
 * exists, so the issuer is set by staff (migrations/060_extract_issuer.sql): for one office, or as the deployment's
 * default; without one no extract is issued (IssuerNotSetError), since a paper headed by an abolished district would
 * name an authority that can no longer sign it. The book's office is kept only where the extract says which book it
 * copies ("Trích từ … sổ …").
 */
export interface ExtractIssuer extends IssuerHeading {
  /** The place the extract is dated at: "Bạch Mai" in "Bạch Mai, ngày … tháng … năm …". */
  place: string;
  /** Where it comes from: set for this office, or the deployment's default. */
  origin: 'office' | 'default';
}

/**
 * No issuer is set for the office of the book an extract copies, nor for the deployment: staff must set one
 * (`civreg issuer set`) before extracts of its books are issued. `office` names the book's office.
 */
export class IssuerNotSetError extends Error {
  override name = 'IssuerNotSetError';
  readonly code = 'issuer_not_set';
  readonly office: { code: string; name: string };
  constructor(office: { code: string; name: string }) {
    super(`no extract issuer set for office ${office.code} nor a default: set one with civreg issuer set`);
    this.office = office;
  }

  /** What desk staff read: short, naming the office, and whom to ask (setting an issuer is an administrator's command). */
  get staffMessage(): string {
    return `Chưa cấp được trích lục: chưa khai báo cơ quan cấp trích lục cho ${this.office.name} (mã ${this.office.code}). Hãy đề nghị quản trị viên khai báo cơ quan cấp cho cơ quan này.`.normalize('NFC');
  }
}

/**
 * Offices holding verified records whose extracts nobody is set to issue (no setting of theirs, no default): the
 * extracts of those records are refused (`issuer_not_set`). Codes and names only, for start-up and `civreg status`.
 */
export async function officesWithoutIssuer(sql: Sql): Promise<{ code: string; name: string }[]> {
  return sql.query<{ code: string; name: string }>(
    `select o.code, o.name from registry_office o
      where not exists (select 1 from extract_issuer i where i.office_id = o.id or i.office_id is null)
        and exists (select 1 from book b join entry e on e.book_id = b.id where b.office_id = o.id and e.status = 'verified')
      order by o.code`,
  );
}

/** One setting: `office` a registry office's code, or null for the deployment's default. */
export interface IssuerSetting {
  office: string | null;
  superior: string | null;
  heading: string[];
  place: string;
}

/** A setting refused, with a stable reason code (the CLI prints it). */
export class IssuerSettingError extends Error {
  override name = 'IssuerSettingError';
  readonly code: 'unknown_office' | 'bad_issuer';
  constructor(code: 'unknown_office' | 'bad_issuer', message: string) {
    super(message);
    this.code = code;
  }
}

const clean = (line: string) => line.normalize('NFC').trim().replace(/\s+/g, ' ');
/** Heading lines are printed in capitals, as the forms print them; the Vietnamese locale keeps every diacritic. */
const headingLine = (line: string) => clean(line).toLocaleUpperCase('vi').normalize('NFC');

type StoredIssuer = Omit<IssuerSetting, 'office'>;

/** An office's setting as stored (or the default's, `officeId` null), locked for the change that follows. */
async function storedIssuer(tx: Sql, officeId: number | null): Promise<StoredIssuer | null> {
  const [row] = await tx.query<StoredIssuer>(
    'select superior, heading, place from extract_issuer where office_id is not distinct from $1 for update',
    [officeId],
  );
  return row ?? null;
}

/**
 * Sets (or replaces) the issuer of an office's extracts, or the deployment's default (`office` null): 1 to 4
 * non-empty heading lines, stored in capitals as the forms print them ("Ủy ban nhân dân" → "ỦY BAN NHÂN DÂN"), the
 * line above them too. The change is audited (`issuer_set`, with the setting before and after) in the same transaction.
 *
 * @example await setIssuer(db, { office: null, superior: null, heading: ['Ủy ban nhân dân', 'phường Bạch Mai'], place: 'Bạch Mai' }, 'admin')
 */
export async function setIssuer(db: Database, setting: IssuerSetting, by: string): Promise<void> {
  const heading = setting.heading.map(headingLine).filter(Boolean);
  const place = clean(setting.place);
  const superior = setting.superior ? headingLine(setting.superior) || null : null;
  if (heading.length < 1 || heading.length > 4) throw new IssuerSettingError('bad_issuer', 'The issuer needs 1 to 4 heading lines.');
  if (!place) throw new IssuerSettingError('bad_issuer', 'The issuer needs a place for the line "…, ngày … tháng … năm …".');
  const officeId = await officeIdOf(db, setting.office);
  await db.transaction(async (tx) => {
    const before = await storedIssuer(tx, officeId);
    await tx.query(
      `insert into extract_issuer (office_id, superior, heading, place, updated_by) values ($1, $2, $3, $4, $5)
       on conflict (office_id) do update set superior = excluded.superior, heading = excluded.heading, place = excluded.place,
         updated_by = excluded.updated_by, updated_at = now()`,
      [officeId, superior, heading, place, by],
    );
    await recordAudit(tx, { actor: by, action: 'issuer_set', objectType: 'extract_issuer', objectId: setting.office ?? 'default', detail: { before, after: { superior, heading, place } } });
  });
}

async function officeIdOf(sql: Sql, office: string | null): Promise<number | null> {
  if (office === null) return null;
  const [row] = await sql.query<{ id: number }>('select id from registry_office where code = $1', [office]);
  if (!row) throw new IssuerSettingError('unknown_office', `No registry office has the code "${office}".`);
  return row.id;
}

/**
 * Removes an office's issuer (or the default, `office` null); returns whether there was one. The removal is audited
 * (`issuer_cleared`, with the setting it removed), so who changed the signing authority stays on record.
 */
export async function clearIssuer(db: Database, office: string | null, by: string): Promise<boolean> {
  const officeId = await officeIdOf(db, office);
  return db.transaction(async (tx) => {
    const before = await storedIssuer(tx, officeId);
    if (!before) return false;
    await tx.query('delete from extract_issuer where office_id is not distinct from $1', [officeId]);
    await recordAudit(tx, { actor: by, action: 'issuer_cleared', objectType: 'extract_issuer', objectId: office ?? 'default', detail: { before, after: null } });
    return true;
  });
}

/** Every setting, the default first. */
export async function listIssuers(sql: Sql): Promise<IssuerSetting[]> {
  return sql.query<IssuerSetting>(
    `select o.code as office, i.superior, i.heading, i.place
       from extract_issuer i left join registry_office o on o.id = i.office_id order by o.code nulls first`,
  );
}

/** Who issues the extracts of an office's books: its own setting, else the deployment's default, else nobody (null). */
export async function issuerFor(sql: Sql, office: { code: string; name: string }): Promise<ExtractIssuer | null> {
  const [row] = await sql.query<{ superior: string | null; heading: string[]; place: string; isDefault: boolean }>(
    `select i.superior, i.heading, i.place, i.office_id is null as "isDefault"
       from extract_issuer i left join registry_office o on o.id = i.office_id
      where o.code = $1 or i.office_id is null order by i.office_id nulls last limit 1`,
    [office.code],
  );
  return row ? { superior: row.superior, issuer: row.heading, place: row.place, origin: row.isDefault ? 'default' : 'office' } : null;
}
