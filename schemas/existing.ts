import { z } from 'zod';
import { corpusRegisterTypeSchema } from './corpus.ts';

/**
 * Rows of an export of the electronic civil-status database (`civreg import-existing`): the corpus's
 * existing.jsonl line (schemas/corpus.ts existingRecordSchema), or one CSV/Excel row with the columns `id`,
 * `registerType`, `registeredAt` and one column per field key (schemas/corpus.ts FIELD_KEYS).
 */
export const importRowSchema = z.object({
  id: z.string().trim().min(1),
  registerType: corpusRegisterTypeSchema,
  fields: z.record(z.string(), z.string()),
  registeredAt: z.string().optional(),
});
export type ImportRow = z.infer<typeof importRowSchema>;

/**
 * Why a row was not imported. Stable codes: printed per row by the CLI (`--json` lists them), never
 * renamed. The rest of the file goes in.
 */
export const IMPORT_ROW_REASONS = {
  invalid_json: 'Dòng không phải JSON hợp lệ. Hãy xuất lại tệp.',
  missing_id: 'Thiếu mã bản ghi (id) nên không thể nhập lại an toàn. Hãy bổ sung mã.',
  bad_register_type: 'Loại việc hộ tịch không hợp lệ (phải là birth, marriage hoặc death).',
  bad_row: 'Dòng không đúng cấu trúc bản ghi (id, registerType, fields). Hãy kiểm tra cột/khóa.',
  bad_date: 'Có trường ngày không đúng định dạng (YYYY-MM-DD, YYYY-MM, YYYY hoặc DD/MM/YYYY).',
  duplicate_id: 'Mã bản ghi đã xuất hiện ở dòng trước trong cùng tệp; dòng này bị bỏ qua.',
  empty_record: 'Bản ghi không có trường nào để đối chiếu.',
} as const;
export type ImportRowReason = keyof typeof IMPORT_ROW_REASONS;
