import { createDatabase } from './src/db/sql.ts';
import { createLocalBlobStore } from './src/store/blobs.ts';
import { seedEntry, seedPair } from './test/http/review-seed.ts';
const db = createDatabase('postgres://postgres:civreg-local@127.0.0.1:44911/postgres');
const blobs = createLocalBlobStore('/tmp/wb/data/blobs');
const [office] = await db.query<{ code: string }>("select code from registry_office where name like '%Hai Bà Trưng%' order by id limit 1");
await seedEntry(db, blobs, { officeCode: office!.code, bookNo: '01', year: 2022, entryNo: 14, fields: [
  { field: 'fullName', value: 'Nguyễn Thị Hoà', reasons: ['low_confidence'], priority: 10 },
  { field: 'birthDate', value: '2022-08-15', reasons: ['words_disagree'], priority: 10 },
  { field: 'birthPlace', value: 'Phường Mộ Lao, Quận Hà Đông', reasons: ['not_in_dictionary'], priority: 10 },
  { field: 'fatherName', value: null, reasons: ['parse_failed'], priority: 10 },
  { field: 'sex', value: 'female' },
] });
await db.close();
