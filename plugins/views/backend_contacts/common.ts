// What the contact-listing routes of the remote back-ends share (spec §2.9).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServiceMap, SourceConfig } from '../../../src/contracts.js';
import { DirdError } from '../../../src/errors.js';
import { ConfdClient } from '../../../src/remote/confd.js';
import { messageOf } from '../../../src/remote/http.js';
import type { SourceService } from '../../services/source/index.js';
import type { TokenService } from '../../services/wazo_tokens/index.js';
import { listQuerySchema, type ListRouteOptions } from '../common/list-params.js';
import { checkUuid, paramsSchema } from '../common/routes.js';

export type ContactsRequest = FastifyRequest<{ Params: { source_uuid: string }; Querystring: Record<string, unknown> }>;

export interface ContactsRoute {
  backend: string;
  list: ListRouteOptions;
  /** Extra querystring properties (e.g. conference's `order_insensitive`). */
  extraQuery?: Record<string, unknown>;
  /** Which tenants the source is looked up in. */
  tenants(request: ContactsRequest): Promise<string[]>;
  handle(source: SourceConfig, request: ContactsRequest): Promise<unknown>;
}

export function addContactsRoute(app: FastifyInstance, services: ServiceMap, route: ContactsRoute): void {
  const { backend } = route;
  const query = listQuerySchema(route.list) as { properties: Record<string, unknown> };
  Object.assign(query.properties, route.extraQuery ?? {});
  app.get(`/0.1/backends/${backend}/sources/:source_uuid/contacts`, {
    schema: { tags: [`backend ${backend}`], summary: `List the contacts of a ${backend} source`, params: paramsSchema('source_uuid'), querystring: query },
    config: { acl: `dird.backends.${backend}.sources.{source_uuid}.contacts.read`, errors: 'api' },
  }, async (request: ContactsRequest) => {
    const uuid = checkUuid('sources', request.params.source_uuid);
    const source = await (services.source as SourceService).get(backend, await route.tenants(request), uuid);
    return route.handle(source, request);
  });
}

/** The query values to forward to a remote API, as strings. */
export function forwarded(query: Record<string, unknown>, names: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of names) {
    const value = query[name];
    if (value !== undefined && value !== null) params[name] = String(value);
  }
  return params;
}

export function confdOf(services: ServiceMap, source: SourceConfig): ConfdClient {
  const tokens = services.wazo_tokens as TokenService;
  return new ConfdClient(source.confd as any, () => tokens.serviceToken(source));
}

/** 503 `wazo-confd-error` (spec §1.3). */
export function confdError(source: SourceConfig, error: unknown): DirdError {
  const confd = (source.confd ?? {}) as Record<string, unknown>;
  return new DirdError(503, 'wazo-confd-error', 'wazo-confd request failed', {
    wazo_confd_config: { host: confd.host ?? null, port: confd.port ?? null, timeout: confd.timeout ?? null },
    original_error: messageOf(error),
  });
}
