// The five routes of a tenant-owned, named resource (displays, profiles), for resource `r`, item `i`:
//   GET    /0.1/r              dird.r.read               list (recurse, order by name, filter uuid/name)
//   POST   /0.1/r              dird.r.create             201 and the created item, in the request tenant
//   GET    /0.1/r/{i_uuid}     dird.r.{i_uuid}.read
//   PUT    /0.1/r/{i_uuid}     dird.r.{i_uuid}.update    204
//   DELETE /0.1/r/{i_uuid}     dird.r.{i_uuid}.delete    204
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ListParams } from '../../../src/contracts.js';
import type { Resource } from '../../../src/errors.js';
import { listQuerySchema, parseListQuery } from './list-params.js';
import { checkUuid, itemTenants, paramsSchema } from './routes.js';

/** What the routes call; the service validates bodies itself. */
export interface CrudService {
  list(tenants: string[], params: ListParams): Promise<unknown>;
  get(tenants: string[], uuid: string): Promise<unknown>;
  create(tenant: string, body: unknown): Promise<unknown>;
  update(tenants: string[], uuid: string, body: unknown): Promise<void>;
  delete(tenants: string[], uuid: string): Promise<void>;
}

export interface CrudRoutes {
  /** Plural: the path, tag and ACL prefix, and the resource of 404s. */
  resource: Resource;
  /** Singular: the summaries and the `<item>_uuid` path parameter. */
  item: string;
  /** The JSON schema of POST and PUT bodies. */
  body: Record<string, unknown>;
  service: () => CrudService;
}

const list = { order: ['name'], searchable: ['uuid', 'name'] };

export function crudRoutes(app: FastifyInstance, { resource, item, body, service }: CrudRoutes): void {
  const base = `/0.1/${resource}`;
  const acl = `dird.${resource}`;
  const tags = [resource];
  const idParam = `${item}_uuid`;
  const params = paramsSchema(idParam);
  type ItemRequest = FastifyRequest<{ Params: Record<string, string> }>;
  const uuidOf = (request: ItemRequest) => checkUuid(resource, request.params[idParam]);

  app.get(base, {
    schema: { tags, summary: `List ${resource}`, querystring: listQuerySchema(list) },
    config: { acl: `${acl}.read`, errors: 'api' },
  }, async (request) => {
    const { params: listParams, recurse } = parseListQuery(request.query, list.searchable);
    return service().list(await request.dird.visibleTenants(recurse), listParams);
  });

  app.post(base, {
    schema: { tags, summary: `Create a ${item}`, body },
    config: { acl: `${acl}.create`, errors: 'api' },
  }, async (request, reply) => {
    const created = await service().create(await request.dird.tenant(), request.body);
    return reply.code(201).send(created);
  });

  app.get(`${base}/:${idParam}`, {
    schema: { tags, summary: `Get a ${item}`, params },
    config: { acl: `${acl}.{${idParam}}.read`, errors: 'api' },
  }, async (request: ItemRequest) => service().get(await itemTenants(request), uuidOf(request)));

  app.put(`${base}/:${idParam}`, {
    schema: { tags, summary: `Replace a ${item}`, params, body },
    config: { acl: `${acl}.{${idParam}}.update`, errors: 'api' },
  }, async (request: ItemRequest, reply) => {
    await service().update(await itemTenants(request), uuidOf(request), request.body);
    return reply.code(204).send();
  });

  app.delete(`${base}/:${idParam}`, {
    schema: { tags, summary: `Delete a ${item}`, params },
    config: { acl: `${acl}.{${idParam}}.delete`, errors: 'api' },
  }, async (request: ItemRequest, reply) => {
    await service().delete(await itemTenants(request), uuidOf(request));
    return reply.code(204).send();
  });
}
