import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordIdSchema, searchRequestSchema, fieldKeySchema, type SearchResponse } from '../../schemas/api.ts';
import pg from 'pg';
import { preparedSql, type Database, type Sql } from '../db/sql.ts';
import type { Logger } from '../log.ts';
import { allows, authenticate, type ApiClient } from './clients.ts';
import { ApiError, invalidRequest, invalidSearch } from './errors.ts';
import { recordLookup, type LookupLogEntry } from './lookup-log.ts';
import { buildOpenApi } from './openapi.ts';
import { fieldFilter, findByPublicId, loadRecords } from './records.ts';
import { search } from './search.ts';
import { extractFields } from '../certified/content.ts';
import { ExtractIncompleteError, issueExtract } from '../certified/extract.ts';
import { IssuerNotSetError } from '../certified/issuer.ts';
import { SigningKeyError } from '../certified/signing.ts';
import { registerVerifyRoute } from '../certified/verify-route.ts';
import { registerExportRoute } from '../export/route.ts';
import type { BlobStore } from '../store/blobs.ts';

export interface ApiDeps {
  db: Database;
  /** For operators: request outcome codes and timings only, never a query or a record. */
  log?: Logger;
  now?: () => Date;
  /** Folder of the extract signing key's private file (src/certified/signing.ts); without it, no extracts. */
  signingKeyDir?: string;
  /** With the blob store, staff also get the book export download (src/export/route.ts). */
  blobs?: BlobStore;
  /**
   * Where extracts' QR codes and verify links point (CIVREG_PUBLIC_URL, no trailing slash). Unset: the address
   * the server listens on. Never the request's Host header: the caller chooses it, and an agency calling an
   * internal address would print that address on the citizen's paper.
   */
  publicUrl?: string;
  /** Checks of extracts each address may make (src/certified/verify-route.ts VERIFY_LIMIT unless given). */
  verifyLimit?: { perMinute: number; burst: number };
}

/** Longest request line (path and query string) accepted; a lookup needs far less. */
export const MAX_URL_BYTES = 2048;
/** Largest search body accepted: a search is a handful of short fields. */
export const MAX_BODY_BYTES = 4096;

const PROCEDURE_HEADER = 'x-purpose-procedure';
const CASE_HEADER = 'x-purpose-case';
const PROCEDURE_SHAPE = /^[A-Za-z0-9._-]{1,40}$/;
const CASE_SHAPE = /^[A-Za-z0-9._/:-]{1,64}$/;

interface RequestContext {
  started: number;
  route: string;
  client: ApiClient | null;
  procedureCode: string | null;
  caseRef: string | null;
  query: unknown;
}

/**
 * The lookup API for procedure services under `/api/v1`: every request carries a client token and a
 * stated purpose, is rate-limited per client, and is recorded in `lookup_log`, answered or refused.
 *
 * @example
 * registerApi(app, { db }); // then POST /api/v1/records/search with Authorization, X-Purpose-Procedure, X-Purpose-Case
 */
export function registerApi(app: FastifyInstance, deps: ApiDeps): void {
  const now = deps.now ?? (() => new Date());
  const contexts = new WeakMap<FastifyRequest, RequestContext>();
  // The lookup statements get a pool of their own, tuned for short index lookups (measured on 10^6 records):
  // - each statement prepared once per connection and always run with its generic plan: planning the name
  //   search took 4–8 ms, its execution 1 ms, and with default settings PostgreSQL kept re-planning it;
  // - no parallel workers: starting them cost ~20 ms on the name search, whose rows the planner overestimates.
  const lookupPool = new pg.Pool({
    ...deps.db.pool.options,
    max: 10,
    application_name: 'civreg-api',
    options: '-c max_parallel_workers_per_gather=0 -c plan_cache_mode=force_generic_plan',
  });
  lookupPool.on('error', () => {});
  app.addHook('onClose', async () => lookupPool.end());
  const sql: Sql = preparedSql(lookupPool);
  const openApi = buildOpenApi();

  type Outcome = Pick<LookupLogEntry, 'outcome' | 'status' | 'code'>;
  /** The request's `lookup_log` row, but for the records it names. */
  const logRow = (request: FastifyRequest, outcome: Outcome): Omit<LookupLogEntry, 'recordIds'> => {
    const ctx = contexts.get(request) ?? { started: performance.now(), route: request.url.split('?')[0]!.slice(0, 200), client: null, procedureCode: null, caseRef: null, query: {} };
    return { ...outcome, clientId: ctx.client?.id ?? null, procedureCode: ctx.procedureCode, caseRef: ctx.caseRef, route: ctx.route, query: ctx.query, ms: performance.now() - ctx.started };
  };
  /** The operator's line: ids, codes and timings, never a query or a record. */
  const opsLog = (row: Omit<LookupLogEntry, 'recordIds'>) =>
    deps.log?.info({ client: row.clientId, route: row.route, status: row.status, code: row.code, outcome: row.outcome, ms: Math.round(row.ms) }, 'lookup');
  /** Logs a request that names no record served with this statement (refusals, none, ambiguous). */
  const finish = async (request: FastifyRequest, outcome: Outcome, recordIds: string[] = []) => {
    const row = logRow(request, outcome);
    await recordLookup(sql, { ...row, recordIds });
    opsLog(row);
  };
  /** Reads the records served and writes the request's log row in one statement. */
  const serve = async (request: FastifyRequest, outcome: Outcome, entryIds: number[], visible: (field: string) => boolean) => {
    if (!entryIds.length) {
      await finish(request, outcome);
      return [];
    }
    const row = logRow(request, outcome);
    const records = await loadRecords(sql, entryIds, visible, row);
    opsLog(row);
    return records;
  };

  app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        const routeUrl = request.routeOptions.url ?? request.url.split('?')[0]!.slice(0, 200);
        const ctx: RequestContext = { started: performance.now(), route: `${request.method} ${routeUrl}`, client: null, procedureCode: null, caseRef: null, query: {} };
        contexts.set(request, ctx);
        if (request.url.length > MAX_URL_BYTES) throw new ApiError('query_too_large', 'request line too long');
        if (routeUrl === '/api/v1/openapi.json') return;
        const procedure = request.headers[PROCEDURE_HEADER];
        const caseRef = request.headers[CASE_HEADER];
        const purpose = !procedure || !caseRef ? 'purpose_required'
          : typeof procedure !== 'string' || typeof caseRef !== 'string' || !PROCEDURE_SHAPE.test(procedure) || !CASE_SHAPE.test(caseRef) ? 'purpose_invalid'
          : null;
        // One round trip: the token, and (for a request with a purpose) one request from the client's shared budget.
        let allowed: boolean;
        try {
          ({ client: ctx.client, allowed } = await authenticate(sql, request.headers.authorization, now(), purpose === null));
        } catch (error) {
          if (error instanceof ApiError && error.clientId !== null) ctx.client = { id: error.clientId } as ApiClient;
          throw error;
        }
        if (purpose) throw new ApiError(purpose);
        ctx.procedureCode = procedure as string;
        ctx.caseRef = caseRef as string;
        if (!allowed) throw new ApiError('rate_limited');
      });

      api.setErrorHandler(async (error: FastifyError | ApiError, request, reply) => {
        const apiError = toApiError(error);
        if (apiError.code === 'internal_error' || apiError.code === 'extract_unavailable') deps.log?.error({ err: error.name, code: (error as FastifyError).code ?? null }, 'lookup failed');
        await finish(request, { outcome: 'refused', status: apiError.status, code: apiError.code }).catch(() => {});
        if (apiError.code === 'rate_limited') void reply.header('retry-after', '60');
        return reply.code(apiError.status).send(apiError.toJSON());
      });

      api.setNotFoundHandler(async () => {
        throw new ApiError('not_found', 'no such route');
      });

      api.get('/openapi.json', async () => openApi);

      api.post('/records/search', { bodyLimit: MAX_BODY_BYTES }, async (request) => {
        const ctx = contexts.get(request)!;
        ctx.query = request.body ?? {};
        const parsed = searchRequestSchema.safeParse(request.body);
        if (!parsed.success) throw invalidSearch(parsed.error.issues, request.body);
        const query = parsed.data;
        const client = ctx.client!;
        if ('registerType' in query && query.registerType && !allows(client.registerTypes, query.registerType)) throw new ApiError('scope_register_type');
        if (query.by === 'entry' && !allows(client.offices, query.office)) throw new ApiError('scope_office');
        if (query.fields?.some((f) => !allows(client.fields, f))) throw new ApiError('scope_field');

        const outcome = await search(sql, client, query);
        const entryIds = outcome.status === 'found' ? outcome.entryIds : [];
        const pageIds = entryIds.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
        const records = await serve(request, { outcome: outcome.status, status: 200, code: null }, pageIds, fieldFilter(client, query.fields));
        const response: SearchResponse = {
          status: outcome.status,
          persons: outcome.status === 'found' ? 1 : outcome.status === 'ambiguous' ? outcome.persons : 0,
          total: entryIds.length,
          page: query.page,
          pageSize: query.pageSize,
          records,
        };
        return response;
      });

      api.get('/records/:id', async (request) => {
        const ctx = contexts.get(request)!;
        const { id } = request.params as { id: string };
        const { fields: fieldList, ...unknown } = request.query as Record<string, unknown>;
        ctx.query = { id: id.slice(0, 100), fields: String(fieldList ?? '').slice(0, 1000) || undefined };
        if (!recordIdSchema.safeParse(id).success) throw new ApiError('invalid_id');
        if (Object.keys(unknown).length) throw invalidRequest(Object.keys(unknown)[0], 'unknown', 'unknown query parameter');
        if (fieldList !== undefined && typeof fieldList !== 'string') throw invalidRequest('fields', 'format', 'fields given more than once');
        const fields = fieldList === undefined ? undefined : fieldList.split(',');
        const badField = fields?.findIndex((f) => !fieldKeySchema.safeParse(f).success) ?? -1;
        if (badField >= 0) throw invalidRequest(`fields.${badField}`, 'format', 'unknown field');
        const client = ctx.client!;
        if (fields?.some((f) => !allows(client.fields, f))) throw new ApiError('scope_field');
        const entryId = await findByPublicId(sql, client, id);
        if (entryId === null) throw new ApiError('not_found', 'no verified record in scope');
        const [record] = await serve(request, { outcome: 'found', status: 200, code: null }, [entryId], fieldFilter(client, fields));
        return record;
      });

      api.get('/records/:id/extract.pdf', async (request, reply) => {
        const ctx = contexts.get(request)!;
        const { id } = request.params as { id: string };
        ctx.query = { id: id.slice(0, 100), extract: true };
        if (!recordIdSchema.safeParse(id).success) throw new ApiError('invalid_id');
        if (Object.keys(request.query as object).length) throw invalidRequest(Object.keys(request.query as object)[0], 'unknown', 'unknown query parameter');
        const client = ctx.client!;
        const entryId = await findByPublicId(sql, client, id);
        if (entryId === null) throw new ApiError('not_found', 'no verified record in scope');
        const [{ registerType }] = (await deps.db.query<{ registerType: 'birth' | 'marriage' | 'death' }>('select register_type as "registerType" from entry where id = $1', [entryId])) as [{ registerType: 'birth' | 'marriage' | 'death' }];
        // An extract shows every field of its form: only a client allowed to see all of them may have one.
        const lacking = extractFields(registerType).filter((f) => !allows(client.fields, f));
        if (lacking.length) {
          throw new ApiError('scope_field', 'extract needs every field of its form', {
            message: `Không cấp được trích lục: trích lục in mọi trường thông tin của mẫu, nhưng ứng dụng không được phép xem các trường ${lacking.join(', ')}.`,
            fields: lacking,
          });
        }
        if (!deps.signingKeyDir) throw new ApiError('extract_unavailable', 'no signing key folder configured');
        const baseUrl = deps.publicUrl ?? (app.server.listening ? app.listeningOrigin : null);
        if (!baseUrl) throw new ApiError('extract_unavailable', 'no public address: set CIVREG_PUBLIC_URL');
        const { pdf } = await issueExtract(deps.db, deps.signingKeyDir, entryId, baseUrl, now()).catch((error: Error) => {
          if (error instanceof ExtractIncompleteError) throw new ApiError('extract_incomplete', error.message, { fields: error.fields });
          if (error instanceof IssuerNotSetError) throw new ApiError('issuer_not_set', error.message, { message: error.staffMessage });
          throw error instanceof SigningKeyError ? new ApiError('extract_unavailable', 'signing key file missing or unsafe') : error;
        });
        await finish(request, { outcome: 'found', status: 200, code: null }, [id]);
        return reply.type('application/pdf').header('content-disposition', `inline; filename="trich-luc-${id}.pdf"`).header('cache-control', 'no-store').send(Buffer.from(pdf));
      });
    },
    { prefix: '/api/v1' },
  );
  registerVerifyRoute(app, deps.db, deps.verifyLimit);
  if (deps.blobs) registerExportRoute(app, { db: deps.db, blobs: deps.blobs });
}

/** Fastify's own refusals (body too large, bad JSON, wrong media type) in the API's shape. */
function toApiError(error: FastifyError | ApiError): ApiError {
  if (error instanceof ApiError) return error;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) return new ApiError('query_too_large', error.code);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new ApiError('invalid_query', error.code);
  return new ApiError('internal_error', error.name);
}

export type { FastifyReply };
