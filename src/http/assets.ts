import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const DIR = new URL('./assets/', import.meta.url);
const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/**
 * The UI's own CSS and scripts, read once at start-up from src/http/assets: nothing comes from a CDN,
 * so the workbench works on an office network without internet. Only the listed files are served.
 */
export function registerAssets(app: FastifyInstance): void {
  const files: Record<string, URL> = {
    'app.css': new URL('app.css', DIR),
    'review.js': new URL('review.js', DIR),
    'upload.js': new URL('upload.js', DIR),
    'arbitration.js': new URL('arbitration.js', DIR),
    'matches.js': new URL('matches.js', DIR),
    'book-live.js': new URL('book-live.js', DIR),
    'keying.js': new URL('keying.js', DIR),
    'post-result.js': new URL('post-result.js', DIR),
    'call.js': new URL('call.js', DIR),
    // The same rules the server checks values with (one place for them).
    'field-rules.js': new URL('../review/field-rules.js', import.meta.url),
  };
  const loaded = new Map(Object.entries(files).map(([name, url]) => [name, readFileSync(url)]));
  app.get<{ Params: { name: string } }>('/assets/:name', { config: { access: 'public' } }, async (request, reply) => {
    const body = loaded.get(request.params.name);
    if (!body) return reply.code(404).send({ error: 'not_found' });
    return reply.type(TYPES[request.params.name.split('.').pop()!] ?? 'application/octet-stream').header('cache-control', 'no-cache').send(body);
  });
}
