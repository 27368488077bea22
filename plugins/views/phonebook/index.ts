// Routes of phonebooks (spec §2.7): /0.1/phonebooks[/{phonebook_uuid}[/contacts[/import|/{contact_uuid}]]].
// A non-UUID phonebook segment matches no route (404), like wazo-dird's UUID converter. Phonebooks are
// seen in the request tenant only, except by the list with `recurse`.
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import type { PhonebookService } from '../../services/phonebook/index.js';
import { listQuerySchema, parseListQuery } from '../common/list-params.js';
import { phonebookRoutes, UUID_PARAM, type Request } from './routes.js';

const phonebooksQuery = listQuerySchema({ order: ['name', 'description'], searchable: [] });
const contactsQuery = listQuerySchema({ order: ['name', 'firstname', 'lastname'], searchable: [], recurse: false });

export default class PhonebookView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    phonebookRoutes(app, {
      base: '/0.1/phonebooks',
      item: `:phonebook_uuid${UUID_PARAM}`,
      param: 'phonebook_uuid',
      acl: 'dird.phonebooks',
      errors: 'api',
      tags: ['phonebooks'],
      params: { type: 'object', properties: { phonebook_uuid: { type: 'string', format: 'uuid' }, contact_uuid: { type: 'string' } } },
      phonebooksQuery,
      contactsQuery,
      key: (request) => ({ uuid: request.params.phonebook_uuid.toLowerCase() }),
      tenants: async (request, list) => {
        const recurse = list && parseListQuery(request.query, []).recurse;
        return request.dird.visibleTenants(recurse);
      },
      createIn: (request) => request.dird.tenant(),
      phonebookList: (request: Request) => parseListQuery(request.query, []).params as never,
      contactList: (request: Request) => parseListQuery(request.query, []).params,
      importStatus: 201,
      importDeprecated: false,
      service: () => services.phonebook as PhonebookService,
    });
  }
}
