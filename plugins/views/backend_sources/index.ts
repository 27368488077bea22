// Source CRUD routes of every back-end: /backends/<b>/sources[/{source_uuid}] (spec §2.5).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { BackendInfo, ListParams, ListResult, SourceConfig, ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import type { SourceService } from '../../services/source/index.js';
import { scalarBackendFields, sourceBodySchema } from '../../services/source/schema.js';
import { listInMemory } from '../common/in-memory.js';
import { listQuerySchema, parseListQuery } from '../common/list-params.js';
import { checkUuid, itemTenants, paramsSchema } from '../common/routes.js';

type ItemRequest = FastifyRequest<{ Params: { source_uuid: string } }>;
/** What the store sorts and filters by itself; other columns are done here. */
const STORE_ORDER = ['name', 'backend'];
const STORE_FILTERS = ['uuid', 'name'];

export default class BackendSourcesView implements ViewPlugin {
  load({ app, services, backends }: ViewLoadArgs): void {
    const sources = () => services.source as SourceService;
    for (const backend of backends.list()) addRoutes(app, backend, sources);
  }
}

function addRoutes(app: FastifyInstance, backend: BackendInfo, sources: () => SourceService): void {
  const b = backend.name;
  const base = `/0.1/backends/${b}/sources`;
  const acl = `dird.backends.${b}.sources`;
  const extra = scalarBackendFields(backend);
  const list = { order: [...STORE_ORDER, ...extra], searchable: [...STORE_FILTERS, ...extra] };
  const body = sourceBodySchema(backend);
  const params = paramsSchema('source_uuid');
  const tags = [`backend ${b}`];
  const uuidOf = (request: ItemRequest) => checkUuid('sources', request.params.source_uuid);

  app.get(base, {
    schema: { tags, summary: `List ${b} sources`, querystring: listQuerySchema(list) },
    config: { acl: `${acl}.read`, errors: 'api' },
  }, async (request) => {
    const { params: listParams, recurse } = parseListQuery(request.query, list.searchable);
    return listSources(sources(), b, await request.dird.visibleTenants(recurse), listParams);
  });

  // ⚠ 200, not 201: wazo-dird answers 200 here (its own spec says 201); clients rely on it.
  app.post(base, {
    schema: { tags, summary: `Create a ${b} source`, body },
    config: { acl: `${acl}.create`, errors: 'api' },
  }, async (request) => sources().create(b, await request.dird.tenant(), request.body));

  app.get(`${base}/:source_uuid`, {
    schema: { tags, summary: `Get a ${b} source`, params },
    config: { acl: `${acl}.{source_uuid}.read`, errors: 'api' },
  }, async (request: ItemRequest) => sources().get(b, await itemTenants(request), uuidOf(request)));

  app.put(`${base}/:source_uuid`, {
    schema: { tags, summary: `Replace a ${b} source`, params, body },
    config: { acl: `${acl}.{source_uuid}.update`, errors: 'api' },
  }, async (request: ItemRequest, reply) => {
    await sources().update(b, await itemTenants(request), uuidOf(request), request.body);
    return reply.code(204).send();
  });

  app.delete(`${base}/:source_uuid`, {
    schema: { tags, summary: `Delete a ${b} source`, params },
    config: { acl: `${acl}.{source_uuid}.delete`, errors: 'api' },
  }, async (request: ItemRequest, reply) => {
    await sources().delete(b, await itemTenants(request), uuidOf(request));
    return reply.code(204).send();
  });
}

/** Sorting or filtering on a back-end's own field is done in memory over the visible sources. */
async function listSources(service: SourceService, backend: string, tenants: string[], params: ListParams): Promise<ListResult<SourceConfig>> {
  const filters = params.filters ?? {};
  const storeFilters = Object.fromEntries(Object.entries(filters).filter(([k]) => STORE_FILTERS.includes(k)));
  const ownFilters = Object.fromEntries(Object.entries(filters).filter(([k]) => !STORE_FILTERS.includes(k)));
  const ownOrder = params.order !== undefined && !STORE_ORDER.includes(params.order);
  if (!ownOrder && Object.keys(ownFilters).length === 0) return service.listOf(backend, tenants, params);
  const all = await service.listOf(backend, tenants, { search: params.search, filters: storeFilters, order: 'name', direction: 'asc' });
  const result = listInMemory(all.items, { ...params, filters: ownFilters }, { insensitive: [params.order ?? 'name'] });
  return { total: all.total, filtered: result.filtered, items: result.items };
}
