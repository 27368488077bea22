// The embedded default answers out of the box: an empty store gets a display, a csv source of sample
// contacts and a profile `default` (lookup, reverse, favorites) in the bootstrap tenant.
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { packageRoot } from '../src/config/load.js';
import type { Dird } from './app.js';

const column = (title: string, type: string, field: string, number_display: string | null = null) =>
  ({ title, type, field, default: null, number_display });
const columns = [
  column('Nom', 'name', 'name'),
  column('Numéro', 'number', 'phone', '{name}'),
  column('Mobile', 'number', 'phone_mobile', '{name} (mobile)'),
  column('E-mail', 'email', 'email'),
  column('Favoris', 'favorite', 'favorite'),
];

export async function seedSample(dird: Dird, config: Record<string, any>, log: Logger): Promise<void> {
  const tenant: string | null = config.bootstrap.tenant_uuid;
  if (!tenant) return log.warn('bootstrap.sample needs bootstrap.tenant_uuid; nothing seeded');
  // Instances starting at once on one PostgreSQL database: one seeds, the others then find the profile.
  await dird.store.exclusive(() => seed(dird, config, tenant, log));
}

async function seed(dird: Dird, config: Record<string, any>, tenant: string, log: Logger): Promise<void> {
  const { store } = dird;
  if ((await store.profiles.findByName(tenant, 'default')) !== null) return;
  const display = await store.displays.create(tenant, { name: 'default', columns });
  const source = await store.sources.create(tenant, 'csv', {
    name: 'sample',
    file: resolve(packageRoot, config.bootstrap.csv_file),
    separator: ',',
    unique_column: 'id',
    searched_columns: ['firstname', 'lastname', 'number', 'mobile', 'email'],
    first_matched_columns: ['number', 'mobile'],
    format_columns: { name: '{firstname} {lastname}', phone: '{number}', phone_mobile: '{mobile}', reverse: '{firstname} {lastname}' },
  });
  const sources = [{ uuid: source.uuid }];
  await store.profiles.create(tenant, {
    name: 'default',
    display: { uuid: display.uuid },
    services: {
      lookup: { sources, options: { timeout: 2 } },
      reverse: { sources, options: { timeout: 1 } },
      favorites: { sources, options: {} },
    },
  });
  log.info({ tenant }, 'seeded the sample profile "default"');
}
