// GET /0.1/api/api.yml: the OpenAPI document generated from every route's schema.
// Behind a proxy that sets X-Script-Name (Wazo's nginx serves dird under /api/dird), the document's
// server URL is that prefix, so clients reading it call `/api/dird/0.1/…` through the proxy (wazo
// daemons rewrite their OpenAPI 2 `basePath` the same way; this document is OpenAPI 3: `servers`).
import { stringify } from 'yaml';
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';

/** An absolute URL path (RFC 3986 path characters); anything else is ignored. */
const SCRIPT_NAME = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

export function scriptName(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || !SCRIPT_NAME.test(value)) return null;
  const trimmed = value.replace(/\/+$/, '');
  return trimmed === '' ? null : trimmed;
}

export default class ApiView implements ViewPlugin {
  load({ app }: ViewLoadArgs) {
    app.get('/0.1/api/api.yml', { schema: { hide: true } }, async (request, reply) => {
      const document = structuredClone((app as any).swagger());
      const prefix = scriptName(request.headers['x-script-name']);
      if (prefix) document.servers = [{ url: prefix }];
      return reply.type('application/x-yaml').send(stringify(document));
    });
  }
}
