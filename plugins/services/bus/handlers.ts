// What dird does with each event it consumes (spec §7): tenant provisioning, user cleanup, tenant country.
import type { Logger } from 'pino';
import type { ChangeFeed, ServiceMap } from '../../../src/contracts.js';
import type { Store } from '../../../src/storage/store.js';
import type { EventHandler } from './consumer.js';
import { provisionTenant } from './provision.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidField(data: Record<string, unknown>, key: string, event: string): string {
  const value = data[key];
  if (typeof value !== 'string' || !UUID.test(value)) throw new Error(`${event}: data.${key} is not a UUID`);
  return value.toLowerCase();
}

export function eventHandlers(services: ServiceMap, store: Store, changes: ChangeFeed, log: Logger): Record<string, EventHandler> {
  return {
    auth_tenant_added: {
      routingKey: 'auth.tenants.*.created',
      async handle(data) {
        const uuid = uuidField(data, 'uuid', 'auth_tenant_added');
        // wazo-auth tenants may have no name; the slug, then the uuid, keep the source names unique.
        const name = [data.name, data.slug].find((v): v is string => typeof v === 'string' && v !== '') ?? uuid;
        await provisionTenant(services, { uuid, name }, log);
      },
    },
    user_deleted: {
      routingKey: 'config.user.deleted',
      async handle(data) {
        const user = uuidField(data, 'uuid', 'user_deleted');
        if (!services.personal || !services.favorites) log.warn({ user }, 'user_deleted: the personal or favorites service is not loaded');
        await services.personal?.deleteUser(user);
        await services.favorites?.deleteUser(user);
        log.info({ user }, 'deleted user: personal contacts and favorites removed');
      },
    },
    localization_edited: {
      routingKey: 'config.localization.edited',
      async handle(data) {
        const tenant = uuidField(data, 'tenant_uuid', 'localization_edited');
        const country = data.country;
        if (country !== null && (typeof country !== 'string' || country.length > 64)) {
          throw new Error('localization_edited: data.country is neither a country code nor null');
        }
        await store.tenants.setCountry(tenant, country === '' ? null : country);
        // Reverse lookups of every instance read the new default region at once.
        changes.publish('tenant', tenant);
        log.info({ tenant, country }, 'tenant country stored');
      },
    },
  };
}
