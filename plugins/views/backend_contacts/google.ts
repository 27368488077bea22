// `google_view`: GET /backends/google/sources/{uuid}/contacts, the caller's Google contacts.
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { DEFAULT_PEOPLE_URL, GoogleClient } from '../../../src/remote/google.js';
import { listInMemory } from '../common/in-memory.js';
import { parseListQuery } from '../common/list-params.js';
import { addContactsRoute } from './common.js';
import { endpointError, externalTokenOf } from './external.js';

export default class GoogleContactsView implements ViewPlugin {
  load({ app, services, config }: ViewLoadArgs): void {
    const peopleUrl = config.google?.people_url || DEFAULT_PEOPLE_URL;
    const google = new GoogleClient(peopleUrl);
    addContactsRoute(app, services, {
      backend: 'google',
      list: { order: ['name'], searchable: [], recurse: false },
      tenants: async (request) => [await request.dird.tenant()],
      async handle(source, request) {
        const token = await externalTokenOf(services.wazo_tokens, source, 'google', request);
        const { params } = parseListQuery(request.query, []);
        let contacts;
        try {
          contacts = params.search ? await google.search(token, params.search) : await google.all(token);
        } catch (error) {
          throw endpointError(peopleUrl, error);
        }
        return listInMemory(contacts, { ...params, search: undefined }, { insensitive: ['name'] });
      },
    });
  }
}
