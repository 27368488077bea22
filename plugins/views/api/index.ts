// GET /0.1/api/api.yml: the OpenAPI document generated from every route's schema.
// Behind a proxy that sets X-Script-Name (nginx under /api/dird), the server URL carries that prefix.
import { stringify } from 'yaml';
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';

export default class ApiView implements ViewPlugin {
  load({ app }: ViewLoadArgs) {
    app.get('/0.1/api/api.yml', { schema: { hide: true } }, async (request, reply) => {
      const document = structuredClone((app as any).swagger());
      const prefix = request.headers['x-script-name'];
      if (typeof prefix === 'string' && prefix !== '') document.servers = [{ url: prefix.replace(/\/$/, '') }];
      return reply.type('application/x-yaml').send(stringify(document));
    });
  }
}
