// `conference_view` view: GET /backends/conference/sources/{uuid}/contacts, a confd's conferences.
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { addContactsRoute, confdError, confdOf, forwarded } from './common.js';

const SEARCHABLE = ['id', 'name'];

export default class ConferenceContactsView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    addContactsRoute(app, services, {
      backend: 'conference',
      list: { order: ['name'], searchable: SEARCHABLE },
      extraQuery: { order_insensitive: { type: 'string' } },
      tenants: (request) => request.dird.visibleTenants(true),
      async handle(source, request) {
        const params = forwarded(request.query, ['order', 'direction', 'limit', 'offset', 'search', 'recurse', 'order_insensitive', ...SEARCHABLE]);
        let answer;
        try {
          answer = await confdOf(services, source).conferences(params);
        } catch (error) {
          throw confdError(source, error);
        }
        const numbers = (list: any[] | undefined) => (list ?? []).map((e) => ({ context: e?.context ?? null, exten: e?.exten ?? null }));
        const items = (answer.items ?? []).map((conference: any) => ({
          id: conference.id,
          name: conference.name,
          extensions: numbers(conference.extensions),
          incalls: (conference.incalls ?? []).flatMap((incall: any) => numbers(incall?.extensions)),
        }));
        return { total: answer.total, filtered: answer.total, items };
      },
    });
  }
}
