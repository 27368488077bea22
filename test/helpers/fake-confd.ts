// A stand-in for wazo-confd (users with view=directory, conferences, infos) speaking its JSON.
import { page, StandIn, type StandInRequest } from './stand-in.js';

export interface ConfdUser {
  id: number;
  uuid: string;
  firstname: string;
  lastname: string | null;
  email?: string | null;
  exten?: string | null;
  mobile_phone_number?: string | null;
  voicemail_number?: string | null;
  userfield?: string | null;
  description?: string | null;
  line_id?: number | null;
  agent_id?: number | null;
  context?: string | null;
}

export interface ConfdConference {
  id: number;
  name: string;
  extensions: { context: string; exten: string }[];
  incalls: { extensions: { context: string; exten: string }[] }[];
}

export interface FakeConfdOptions {
  uuid: string;
  users?: ConfdUser[];
  conferences?: ConfdConference[];
  /** Whether a token is valid (asked of the wazo-auth stand-in). */
  validToken(token: string): boolean;
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: string; cert: string };
}

const SEARCHED = ['firstname', 'lastname', 'email', 'exten', 'mobile_phone_number', 'userfield', 'description'] as const;

export function fakeConfd(options: FakeConfdOptions): StandIn {
  return new StandIn((request) => {
    if (!options.validToken(String(request.headers['x-auth-token'] ?? ''))) return { status: 401, body: { message: 'Unauthorized' } };
    switch (request.path) {
      case '/1.1/infos':
        return { status: 200, body: { uuid: options.uuid, wazo_version: '25.01' } };
      case '/1.1/users':
        return { status: 200, body: users(options.users ?? [], request) };
      case '/1.1/conferences':
        return { status: 200, body: conferences(options.conferences ?? [], request) };
      default:
        return { status: 404, body: { message: 'Not found' } };
    }
  }, options.tls);
}

function users(all: ConfdUser[], { query }: StandInRequest) {
  let items = all.map((user) => ({
    email: null, exten: null, mobile_phone_number: null, voicemail_number: null, userfield: null, description: null,
    line_id: null, agent_id: null, context: 'default', ...user,
  }));
  const search = query.get('search');
  // confd searches without case nor accents.
  if (search) items = items.filter((u) => SEARCHED.some((f) => fold(String(u[f] ?? '')).includes(fold(search))));
  for (const column of ['exten', 'mobile_phone_number'] as const) {
    const values = query.get(column)?.split(',');
    if (values) items = items.filter((u) => u[column] !== null && values.includes(String(u[column])));
  }
  for (const column of ['uuid', 'firstname', 'lastname'] as const) {
    const value = query.get(column);
    if (value !== null) items = items.filter((u) => u[column] === value);
  }
  const order = query.get('order') as keyof ConfdUser | null;
  if (order) {
    const sign = query.get('direction') === 'desc' ? -1 : 1;
    items.sort((a, b) => sign * String(a[order] ?? '').localeCompare(String(b[order] ?? '')));
  }
  return { total: items.length, items: page(items, query) };
}

function conferences(all: ConfdConference[], { query }: StandInRequest) {
  const items = all.map((c) => ({
    ...c,
    tenant_uuid: '00000000-0000-4000-8000-00000000000a',
    max_users: 50,
    extensions: c.extensions.map((e, i) => ({ id: c.id * 10 + i, ...e })),
    incalls: c.incalls.map((incall, i) => ({ id: c.id * 100 + i, extensions: incall.extensions.map((e, j) => ({ id: j, ...e })) })),
  }));
  const search = query.get('search');
  const found = search ? items.filter((c) => c.name.toLowerCase().includes(search.toLowerCase())) : items;
  return { total: found.length, items: page(found, query) };
}

const fold = (text: string) => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
