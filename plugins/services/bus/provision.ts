// `auth_tenant_added` (spec §3.8): a new tenant gets wazo-dird's automatic sources, a display
// `auto_<name>` and a profile `default` using them. Every step goes through the same services as the
// REST API (validation, defaults, change feed) and is find-or-create, so a replayed event changes nothing.
import type { Logger } from 'pino';
import type { Display, ServiceMap, SourceConfig } from '../../../src/contracts.js';
import { ConflictError } from '../../../src/errors.js';
import type { DisplayService } from '../display/index.js';
import type { ProfileService } from '../profile/index.js';
import type { SourceService } from '../source/index.js';

export interface NewTenant {
  uuid: string;
  name: string;
}

const authWithKey = (key: string) => ({
  host: 'localhost', port: 9497, prefix: null, https: false, version: '0.1',
  key_file: `/var/lib/wazo-auth-keys/wazo-dird-${key}-key.yml`,
});
const confd = { host: 'localhost', port: 9486, prefix: null, https: false, version: '1.1' };

/** The sources wazo-dird creates for a new tenant, in profile order. */
export function autoSources(tenantName: string): Array<{ backend: string; body: Record<string, unknown> }> {
  return [
    {
      backend: 'conference',
      body: {
        name: `auto_conference_${tenantName}`,
        auth: authWithKey('conference-backend'),
        confd,
        format_columns: { phone: '{extensions[0]}', reverse: '{name}' },
        searched_columns: ['name', 'extensions', 'incalls'],
        first_matched_columns: ['extensions', 'incalls'],
      },
    },
    {
      backend: 'personal',
      body: {
        name: 'personal',
        format_columns: { phone: '{number}', name: '{firstname} {lastname}', phone_mobile: '{mobile}', reverse: '{firstname} {lastname}' },
        searched_columns: ['firstname', 'lastname', 'number', 'mobile', 'fax'],
        first_matched_columns: ['number', 'mobile'],
      },
    },
    {
      backend: 'wazo',
      body: {
        name: `auto_wazo_${tenantName}`,
        auth: authWithKey('wazo-backend'),
        confd,
        format_columns: { phone: '{exten}', name: '{firstname} {lastname}', reverse: '{firstname} {lastname}' },
        searched_columns: ['firstname', 'lastname', 'full_name', 'exten'],
        first_matched_columns: ['exten', 'mobile_phone_number'],
      },
    },
    {
      backend: 'office365',
      body: {
        name: `auto_office365_${tenantName}`,
        auth: authWithKey('wazo-backend'),
        format_columns: {
          name: '{givenName} {surname}', reverse: '{givenName} {surname}',
          phone_mobile: '{mobilePhone}', phone: '{numbers_except_label[mobilePhone][0]}',
        },
        searched_columns: ['givenName', 'surname', 'businessPhones', 'homePhones', 'mobilePhone'],
        first_matched_columns: ['businessPhones', 'mobilePhone', 'homePhones'],
      },
    },
    {
      backend: 'google',
      body: {
        name: `auto_google_${tenantName}`,
        auth: authWithKey('wazo-backend'),
        format_columns: { phone_mobile: '{numbers_by_label[mobile]}', reverse: '{name}', phone: '{numbers_except_label[mobile][0]}' },
        searched_columns: ['name', 'numbers', 'familyName', 'givenName'],
        first_matched_columns: ['numbers'],
      },
    },
  ];
}

const column = (field: string, title: string, type: string | null = null, number_display: string | null = null) =>
  ({ field, title, type, default: null, number_display });

/** wazo-dird's default display columns (spec §3.3). */
export const autoDisplayColumns = [
  column('name', 'Nom', 'name'),
  column('firstname', 'Prénom'),
  column('lastname', 'Nom de famille'),
  column('phone', 'Numéro', 'number', '{name}'),
  column('phone_mobile', 'Mobile', 'number', '{name} (mobile)'),
  column('voicemail', 'Boîte vocale', 'voicemail'),
  column('favorite', 'Favoris', 'favorite'),
  column('email', 'E-mail', 'email'),
];

export const REVERSE_TIMEOUT = 0.5;

export async function provisionTenant(services: ServiceMap, tenant: NewTenant, log: Logger): Promise<void> {
  const source = services.source as SourceService | undefined;
  const display = services.display as DisplayService | undefined;
  const profile = services.profile as ProfileService | undefined;
  if (!source || !display || !profile) {
    log.warn({ tenant: tenant.uuid }, 'tenant not provisioned: the source, display and profile services are needed');
    return;
  }
  // Each step on its own, as wazo-dird: one failing (a back-end not enabled…) does not stop the others.
  const step = async <T>(what: string, run: () => Promise<T | null>): Promise<T | null> => {
    try {
      return await run();
    } catch (error) {
      log.warn({ tenant: tenant.uuid, step: what, reason: (error as Error).message }, 'tenant provisioning step skipped');
      return null;
    }
  };
  const sources: SourceConfig[] = [];
  for (const { backend, body } of autoSources(tenant.name)) {
    const made = await step(`source ${String(body.name)}`, () => ensureSource(source, tenant.uuid, backend, body, log));
    if (made) sources.push(made);
  }
  const madeDisplay = await step('display', () => ensureDisplay(display, tenant));
  await step('profile', () => ensureProfile(profile, tenant.uuid, madeDisplay, sources));
  log.info({ tenant: tenant.uuid, sources: sources.length }, 'tenant provisioned');
}

async function ensureSource(
  service: SourceService, tenant: string, backend: string, body: Record<string, unknown>, log: Logger,
): Promise<SourceConfig | null> {
  const name = String(body.name);
  const find = async () => (await service.list([tenant], { filters: { name } })).items[0] ?? null;
  let existing = await find();
  if (!existing) {
    try {
      return await service.create(backend, tenant, body);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      existing = await find(); // created meanwhile by another delivery of the same event
    }
  }
  if (existing && existing.backend !== backend) {
    log.warn({ tenant, name, backend: existing.backend }, 'a source of another back-end already has this name; left out of the profile');
    return null;
  }
  return existing;
}

async function ensureDisplay(service: DisplayService, tenant: NewTenant): Promise<Display> {
  const name = `auto_${tenant.name}`;
  const { items } = await service.list([tenant.uuid], { filters: { name } });
  return items[0] ?? service.create(tenant.uuid, { name, columns: autoDisplayColumns });
}

async function ensureProfile(service: ProfileService, tenant: string, display: Display | null, sources: SourceConfig[]): Promise<void> {
  const { items } = await service.list([tenant], { filters: { name: 'default' } });
  if (items.length > 0) return;
  const refs = sources.map((s) => ({ uuid: s.uuid }));
  try {
    await service.create(tenant, {
      name: 'default',
      display: display ? { uuid: display.uuid } : null,
      services: {
        lookup: { sources: refs, options: {} },
        favorites: { sources: refs, options: {} },
        reverse: { sources: refs, options: { timeout: REVERSE_TIMEOUT } },
      },
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}
