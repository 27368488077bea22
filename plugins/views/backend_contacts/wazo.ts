// `wazo_backend` view: GET /backends/wazo/sources/{uuid}/contacts, the confd users of a wazo source.
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { addContactsRoute, confdError, confdOf, forwarded } from './common.js';

const ITEM_FIELDS = ['id', 'uuid', 'firstname', 'lastname', 'email', 'exten', 'mobile_phone_number', 'voicemail_number'];
const SEARCHABLE = ['uuid', 'firstname', 'lastname'];

export default class WazoContactsView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    addContactsRoute(app, services, {
      backend: 'wazo',
      list: { order: ['firstname', 'lastname'], searchable: SEARCHABLE },
      tenants: (request) => request.dird.visibleTenants(true),
      async handle(source, request) {
        const params = forwarded(request.query, ['order', 'direction', 'limit', 'offset', 'search', 'recurse', ...SEARCHABLE]);
        let answer;
        try {
          answer = await confdOf(services, source).users({ ...params, view: 'directory' });
        } catch (error) {
          throw confdError(source, error);
        }
        const items = (answer.items ?? []).map((user: Record<string, unknown>) =>
          Object.fromEntries(ITEM_FIELDS.map((field) => [field, user[field] ?? null])));
        return { total: answer.total, filtered: answer.total, items };
      },
    });
  }
}
