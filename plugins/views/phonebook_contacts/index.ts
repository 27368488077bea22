// GET /0.1/backends/phonebook/sources/{source_uuid}/contacts (spec §2.9): the contacts of a phonebook
// source's phonebook, in the request tenant only; unsorted unless `order` is given.
import type { FastifyRequest } from 'fastify';
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import type { PhonebookService } from '../../services/phonebook/index.js';
import type { SourceService } from '../../services/source/index.js';
import { listQuerySchema, parseListQuery } from '../common/list-params.js';
import { checkUuid, paramsSchema } from '../common/routes.js';

const querystring = listQuerySchema({ order: ['firstname', 'lastname', 'number'], searchable: [], recurse: false });
delete (querystring.properties as Record<string, { default?: unknown }>).order.default;

type Request = FastifyRequest<{ Params: { source_uuid: string } }>;

export default class PhonebookContactsView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    app.get('/0.1/backends/phonebook/sources/:source_uuid/contacts', {
      schema: { tags: ['backend phonebook'], summary: "List a phonebook source's contacts", params: paramsSchema('source_uuid'), querystring },
      config: { acl: 'dird.backends.phonebook.sources.{source_uuid}.contacts.read', errors: 'api' },
    }, async (request: Request) => {
      const tenant = await request.dird.tenant();
      const uuid = checkUuid('sources', request.params.source_uuid);
      const source = await (services.source as SourceService).get('phonebook', [tenant], uuid);
      const { params } = parseListQuery(request.query, []);
      return (services.phonebook as PhonebookService).sourceContacts(tenant, source, params);
    });
  }
}
