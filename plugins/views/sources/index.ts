// GET /sources: the sources of every back-end (spec §2.2).
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import type { SourceService } from '../../services/source/index.js';
import { listQuerySchema, parseListQuery } from '../common/list-params.js';
import { sourceSummary } from '../common/routes.js';

const list = { order: ['name', 'backend'], searchable: ['uuid', 'name', 'backend'] };

export default class SourcesView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    app.get('/0.1/sources', {
      schema: { tags: ['sources'], summary: 'List the sources of every back-end', querystring: listQuerySchema(list) },
      config: { acl: 'dird.sources.read', errors: 'api' },
    }, async (request) => {
      const { params, recurse } = parseListQuery(request.query, list.searchable);
      const result = await (services.source as SourceService).list(await request.dird.visibleTenants(recurse), params);
      return { ...result, items: result.items.map(sourceSummary) };
    });
  }
}
