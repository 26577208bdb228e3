import { z } from 'zod';
import { apiErrorSchema, recordIdSchema, recordSchema, searchRequestSchema, searchResponseSchema, API_ERRORS } from '../../schemas/api.ts';

const OPTIONS = { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' } as const;
/** An inline schema (only for schemas without named parts). */
const schema = (s: z.ZodType) => z.toJSONSchema(s, OPTIONS);
/** Named schemas (`.meta({ id })`) are referenced from components.schemas, where they are all written once. */
const json = (s: z.ZodType) => {
  const id = z.globalRegistry.get(s)?.id;
  return { content: { 'application/json': { schema: id ? { $ref: `#/components/schemas/${id}` } : schema(s) } } };
};

function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { ...OPTIONS, uri: (id) => `#/components/schemas/${id}` }) as unknown as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(Object.entries(schemas).map(([id, { $id: _, ...rest }]) => [id, rest]));
}

/** Error responses a route can give, each with the codes that lead to it. */
function errors(...codes: Array<keyof typeof API_ERRORS>) {
  const byStatus = new Map<number, string[]>();
  for (const code of ['token_missing', 'token_invalid', 'token_revoked', 'token_expired', 'purpose_required', 'purpose_invalid', 'rate_limited', 'query_too_large', ...codes] as const) {
    const status = API_ERRORS[code][0];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, list]) => [String(status), { description: list.join(', '), ...json(apiErrorSchema) }]));
}

const purposeParameters = [
  { name: 'X-Purpose-Procedure', in: 'header', required: true, description: 'Mã thủ tục hành chính của yêu cầu', schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,40}$' } },
  { name: 'X-Purpose-Case', in: 'header', required: true, description: 'Số hồ sơ / mã hồ sơ thủ tục', schema: { type: 'string', pattern: '^[A-Za-z0-9._/:-]{1,64}$' } },
];

/** The OpenAPI 3 document of `/api/v1`, generated from the zod contract in schemas/api.ts. */
export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: {
      title: 'civreg – tra cứu hộ tịch đã số hóa',
      version: '1',
      description:
        'Chỉ trả hồ sơ đã được xác minh, kèm nguồn gốc từng trường. Mỗi yêu cầu phải nêu mục đích (mã thủ tục và số hồ sơ) và được ghi nhật ký. ' +
        'Yêu cầu khớp nhiều hơn một người trả trạng thái "ambiguous" và không kèm dữ liệu cá nhân.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: componentSchemas() },
    paths: {
      '/records/search': {
        post: {
          summary: 'Tìm hồ sơ theo số định danh; họ tên + ngày sinh + nơi sinh/cư trú; hoặc sổ + số thứ tự',
          parameters: purposeParameters,
          requestBody: { required: true, ...json(searchRequestSchema) },
          responses: { '200': { description: 'Kết quả', ...json(searchResponseSchema) }, ...errors('invalid_query', 'scope_field', 'scope_office', 'scope_register_type') },
        },
      },
      '/records/{id}': {
        get: {
          summary: 'Một hồ sơ theo mã ngẫu nhiên của nó',
          parameters: [
            ...purposeParameters,
            { name: 'id', in: 'path', required: true, schema: schema(recordIdSchema) },
            { name: 'fields', in: 'query', required: false, description: 'các trường cần lấy, cách nhau bởi dấu phẩy', schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'Hồ sơ', ...json(recordSchema) }, ...errors('invalid_id', 'invalid_query', 'scope_field', 'not_found') },
        },
      },
      '/records/{id}/extract.pdf': {
        get: {
          summary: 'Bản trích lục (PDF, bản điện tử để tham khảo) có mã QR ký số Ed25519; kiểm tra tại /verify/{mã}',
          description: 'Chỉ cấp cho ứng dụng được xem mọi trường của mẫu trích lục.',
          parameters: [...purposeParameters, { name: 'id', in: 'path', required: true, schema: schema(recordIdSchema) }],
          responses: { '200': { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...errors('invalid_id', 'invalid_query', 'scope_field', 'not_found', 'extract_incomplete', 'issuer_not_set') },
        },
      },
    },
  };
}
