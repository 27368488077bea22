// `office365_backend` view: GET /backends/office365/sources/{uuid}/contacts, the caller's Microsoft
// contacts as Graph gives them. `search` is accepted and ignored, as wazo-dird does.
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { DEFAULT_GRAPH_ENDPOINT, graphContacts } from '../../../src/remote/graph.js';
import { listInMemory } from '../common/in-memory.js';
import { parseListQuery } from '../common/list-params.js';
import { addContactsRoute } from './common.js';
import { endpointError, externalTokenOf } from './external.js';

const GRAPH_COLUMNS: Record<string, string> = { firstname: 'givenName', lastname: 'surname', name: 'displayName' };

export default class Office365ContactsView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    addContactsRoute(app, services, {
      backend: 'office365',
      list: { order: ['displayName', 'name', 'firstname', 'lastname', 'givenName', 'surname'], searchable: [], recurse: false },
      tenants: async (request) => [await request.dird.tenant()],
      async handle(source, request) {
        const token = await externalTokenOf(services.wazo_tokens, source, 'microsoft', request);
        const endpoint = typeof source.endpoint === 'string' && source.endpoint ? source.endpoint : DEFAULT_GRAPH_ENDPOINT;
        let contacts;
        try {
          contacts = await graphContacts(endpoint, token);
        } catch (error) {
          throw endpointError(endpoint, error);
        }
        const { params } = parseListQuery(request.query, []);
        const order = GRAPH_COLUMNS[params.order ?? ''] ?? params.order ?? 'displayName';
        return listInMemory(contacts, { ...params, order, search: undefined }, { insensitive: [order] });
      },
    });
  }
}
