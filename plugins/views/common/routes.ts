// Small pieces every management view uses.
import type { FastifyRequest } from 'fastify';
import { NotFoundError, type Resource } from '../../../src/errors.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path uuid that is not a UUID names nothing: 404 (and the database never sees it). */
export function checkUuid(resource: Resource, value: string): string {
  if (!UUID_RE.test(value)) throw new NotFoundError(resource, value);
  return value.toLowerCase();
}

export function paramsSchema(...names: string[]): Record<string, unknown> {
  return {
    type: 'object',
    required: names,
    properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
  };
}

/** Item routes of displays, profiles and sources see the request tenant and its descendants. */
export function itemTenants(request: FastifyRequest): Promise<string[]> {
  return request.dird.visibleTenants(true);
}

/** A source as the cross-backend lists show it. */
export function sourceSummary(source: { uuid: string; tenant_uuid: string; name: string; backend: string }) {
  return { uuid: source.uuid, tenant_uuid: source.tenant_uuid, name: source.name, backend: source.backend };
}
