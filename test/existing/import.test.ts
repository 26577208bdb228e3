import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importExisting } from '../../src/existing/import.ts';
import { encodeLegacy } from '../../src/text/legacy-encodings.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'civreg-import-'));
});
afterAll(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

const line = (o: unknown) => JSON.stringify(o);
const record = (id: string, fullName: string, extra: Record<string, string> = {}) => ({
  id, registerType: 'birth', fields: { fullName, birthDate: '1962-03-15', motherName: 'Lê Thị Hoa', ...extra }, registeredAt: 'Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội',
});

describe('importExisting', () => {
  it('imports JSONL, repairs NFD/TCVN3/VNI text keeping the original, and reports bad rows by reason', async () => {
    const rows = [
      line(record('E1', 'Nguyễn Thị Thuỷ')),
      line(record('E2', 'Trần Văn Hoà'.normalize('NFD'))),
      line({ ...record('E3', ''), fields: Object.fromEntries(Object.entries(record('E3', 'Huỳnh Thị Lụa').fields).map(([k, v]) => [k, encodeLegacy(v, 'tcvn3')])) }),
      line({ ...record('E4', ''), fields: Object.fromEntries(Object.entries(record('E4', 'Đặng Quốc Bảo').fields).map(([k, v]) => [k, encodeLegacy(v, 'vni')])) }),
      '{"id": "E5", "registerType": "birth", ',
      line({ ...record('E6', 'Lê Văn Tám'), registerType: 'adoption' }),
      line(record('E7', 'Lê Văn Tám', { birthDate: '31/02/1962' })),
      line(record('E1', 'Nguyễn Thị Thuỷ')),
      line({ registerType: 'birth', fields: { fullName: 'Không Mã' } }),
      line(record('E8', 'Phạm Thị Mai', { birthDate: '05/07/1970' })),
    ];
    const file = join(dir, 'export.jsonl');
    await writeFile(file, rows.join('\n') + '\n');
    const report = await importExisting(t.db, file, 'jsonl');
    expect(report).toMatchObject({ rows: 10, inserted: 5, updated: 0, unchanged: 0 });
    expect(report.rejected).toEqual([
      { row: 5, reason: 'invalid_json' },
      { row: 6, reason: 'bad_register_type' },
      { row: 7, reason: 'bad_date', field: 'birthDate' },
      { row: 8, reason: 'duplicate_id' },
      { row: 9, reason: 'missing_id' },
    ]);
    expect(report.repaired).toMatchObject({ nfd: 1, tcvn3: 1, vni: 1 });
    const stored = await t.db.query<{ source_id: string; fields: Record<string, string>; original: Record<string, string> | null; text_repair: string; name_key: string; block_keys: string[] }>(
      'select source_id, fields, original, text_repair, name_key, block_keys from existing_record order by source_id',
    );
    const byId = Object.fromEntries(stored.map((r) => [r.source_id, r]));
    expect(byId.E2!.fields.fullName).toBe('Trần Văn Hoà');
    expect(byId.E2!.text_repair).toBe('nfd');
    expect(byId.E3!.fields.fullName).toBe('Huỳnh Thị Lụa');
    expect(byId.E3!.original!.fullName).toBe(encodeLegacy('Huỳnh Thị Lụa', 'tcvn3'));
    expect(byId.E3!.text_repair).toBe('tcvn3');
    expect(byId.E3!.name_key).toBe('hoang thi lua');
    expect(byId.E4!.fields.fullName).toBe('Đặng Quốc Bảo');
    expect(byId.E4!.text_repair).toBe('vni');
    expect(byId.E1!.original).toBeNull();
    expect(byId.E8!.fields.birthDate).toBe('1970-07-05');
    expect(byId.E1!.block_keys).toContain('birth:n:nguyen thi thuy:1962');
  });

  it('is idempotent: the same file again changes nothing, a changed row is updated', async () => {
    const file = join(dir, 'export.jsonl');
    const before = await t.db.query<{ source_id: string; updated_at: Date }>('select source_id, updated_at from existing_record order by source_id');
    const again = await importExisting(t.db, file, 'jsonl');
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 5 });
    const after = await t.db.query<{ source_id: string; updated_at: Date }>('select source_id, updated_at from existing_record order by source_id');
    expect(after).toEqual(before);

    const changed = join(dir, 'changed.jsonl');
    await writeFile(changed, [line(record('E1', 'Nguyễn Thị Thủy Tiên')), line(record('E9', 'Vũ Văn Nam'))].join('\n'));
    expect(await importExisting(t.db, changed, 'jsonl')).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    const [e1] = await t.db.query<{ fields: Record<string, string> }>("select fields from existing_record where source_id = 'E1'");
    expect(e1!.fields.fullName).toBe('Nguyễn Thị Thủy Tiên');
  });

  it('imports CSV and Excel exports with one column per field', async () => {
    const csv = join(dir, 'export.csv');
    await writeFile(csv, '\uFEFFid,registerType,registeredAt,fullName,birthDate,sex\nC1,death,"Phường Kim Liên, Quận Đống Đa",Bùi Văn Lộc,1931,male\nC2,birth,,,,\n');
    expect(await importExisting(t.db, csv, 'csv')).toMatchObject({ rows: 2, inserted: 1, rejected: [{ row: 3, reason: 'empty_record' }] });

    const xlsx = join(dir, 'export.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('records');
    sheet.addRow(['id', 'registerType', 'husbandName', 'husbandBirthDate', 'wifeName', 'wifeBirthDate']);
    sheet.addRow(['X1', 'marriage', 'Ngô Văn Hùng', new Date(Date.UTC(1970, 4, 2)), encodeLegacy('Đỗ Thị Nga', 'tcvn3'), '1972']);
    sheet.addRow(['X2', 'marriage', 'Lý Văn Long', 'not a date', 'Hà Thị Lan', '1975']);
    await workbook.xlsx.writeFile(xlsx);
    const report = await importExisting(t.db, xlsx, 'xlsx');
    expect(report).toMatchObject({ rows: 2, inserted: 1, rejected: [{ row: 3, reason: 'bad_date', field: 'husbandBirthDate' }] });
    const [x1] = await t.db.query<{ fields: Record<string, string> }>("select fields from existing_record where source_id = 'X1'");
    expect(x1!.fields).toMatchObject({ husbandBirthDate: '1970-05-02', wifeName: 'Đỗ Thị Nga', wifeBirthDate: '1972' });
  });
});
