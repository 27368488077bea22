// The deprecated phonebook routes (spec §2.8): /0.1/tenants/{tenant}/phonebooks[/{phonebook_id}…],
// the tenant given by name (resolved by wazo-auth with dird's service token, below the request tenant),
// phonebooks by integer id, list params read by hand, legacy errors, import answered 200.
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { LegacyError } from '../../../src/errors.js';
import type { PhonebookService } from '../../services/phonebook/index.js';
import { phonebookRoutes, type Request } from '../phonebook/routes.js';

function nonNegative(query: Record<string, unknown>, name: string): number | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new LegacyError(400, `${name} should be a positive integer`);
  return Number(value);
}

function listParams(request: Request, orders: string[] | null) {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const direction = query.direction ?? 'asc';
  if (direction !== 'asc' && direction !== 'desc') throw new LegacyError(400, "direction should be 'asc' or 'desc'");
  const order = query.order;
  if (order !== undefined && (typeof order !== 'string' || (orders !== null && !orders.includes(order)))) {
    throw new LegacyError(400, `order should be one of ${(orders ?? []).join(', ')}`);
  }
  const search = typeof query.search === 'string' ? query.search : undefined;
  return { direction: direction as 'asc' | 'desc', order: order as string | undefined, search, limit: nonNegative(query, 'limit'), offset: nonNegative(query, 'offset') ?? 0 };
}

export default class PhonebookDeprecatedView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    const tenantOf = async (request: Request): Promise<string> => {
      const name = request.params.tenant;
      const uuid = await app.authProvider.tenantUuidByName(name, await request.dird.tenant());
      if (!uuid) throw new LegacyError(404, `No such tenant: ${name}`);
      return uuid;
    };
    phonebookRoutes(app, {
      base: '/0.1/tenants/:tenant/phonebooks',
      item: ':phonebook_id(^\\d+$)',
      param: 'phonebook_id',
      acl: 'dird.tenants.{tenant}.phonebooks',
      errors: 'legacy',
      tags: ['phonebooks (deprecated)'],
      params: { type: 'object', properties: { tenant: { type: 'string' }, phonebook_id: { type: 'string' }, contact_uuid: { type: 'string' } } },
      // Read by hand (listParams), with wazo-dird's legacy messages.
      phonebooksQuery: { type: 'object' },
      contactsQuery: { type: 'object' },
      key: (request) => ({ id: Number(request.params.phonebook_id) }),
      tenants: async (request) => [await tenantOf(request)],
      createIn: tenantOf,
      phonebookList: (request) => listParams(request, ['name', 'description']) as never,
      contactList: (request) => listParams(request, null),
      importStatus: 200,
      importDeprecated: true,
      service: () => services.phonebook as PhonebookService,
    });
  }
}
