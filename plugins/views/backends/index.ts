// GET /backends: the enabled and installed back-ends (spec §2.2), legacy error shape.
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { listInMemory } from '../common/in-memory.js';
import { listQuerySchema, parseListQuery } from '../common/list-params.js';

const list = { order: ['name'], searchable: ['name'], recurse: false };

export default class BackendsView implements ViewPlugin {
  load({ app, backends }: ViewLoadArgs): void {
    app.get('/0.1/backends', {
      schema: { tags: ['backends'], summary: 'List back-ends', querystring: listQuerySchema(list) },
      config: { acl: 'dird.backends.read', errors: 'legacy' },
    }, async (request) => {
      const { params } = parseListQuery(request.query, list.searchable);
      const names = backends.list().map((backend) => ({ name: backend.name }));
      // Unlike other lists, the search here is case-sensitive.
      return listInMemory(names, params, { matches: (item, search) => item.name.includes(search) });
    });
  }
}
