// Microsoft Graph contacts client (spec §4.8): count, then pages following `@odata.nextLink`.
import { randomUUID } from 'node:crypto';
import { requestJson } from './http.js';

export const DEFAULT_GRAPH_ENDPOINT = 'https://graph.microsoft.com/v1.0/me/contacts';
/** A runaway `@odata.nextLink` chain stops here. */
const MAX_PAGES = 1000;

export class GraphError extends Error {
  constructor(readonly endpoint: string, readonly status: number, readonly errorCode: string | null) {
    super(`Microsoft Graph answered ${status}${errorCode ? ` (${errorCode})` : ''}`);
    this.name = 'GraphError';
  }
}

async function get(url: string, endpoint: string, token: string): Promise<any> {
  const answer = await requestJson(url, {
    headers: {
      'User-Agent': 'wazo_ua/1.0',
      Authorization: `Bearer ${token}`,
      'client-request-id': randomUUID(),
      'return-client-request-id': 'true',
    },
  });
  if (answer.status !== 200 || !answer.body || typeof answer.body !== 'object') {
    throw new GraphError(endpoint, answer.status, answer.body?.error?.code ?? null);
  }
  return answer.body;
}

/** Every raw contact of the endpoint. */
export async function graphContacts(endpoint: string, token: string): Promise<Record<string, any>[]> {
  const join = endpoint.includes('?') ? '&' : '?';
  const counted = await get(`${endpoint}${join}$count=true`, endpoint, token);
  const count = Number(counted['@odata.count'] ?? 0);
  if (!(count > 0)) return [];
  const contacts: Record<string, any>[] = [];
  let url: string | undefined = `${endpoint}${join}$top=${count}`;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const body = await get(url, endpoint, token);
    contacts.push(...(Array.isArray(body.value) ? body.value : []));
    url = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
  }
  return contacts;
}

/** A Graph contact with the fields dird adds for formatting and matching. */
export function augmented(contact: Record<string, any>): Record<string, any> {
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((v) => typeof v === 'string' && v !== '') : []);
  const mobile = typeof contact.mobilePhone === 'string' && contact.mobilePhone !== '' ? [contact.mobilePhone] : [];
  const business = list(contact.businessPhones);
  const home = list(contact.homePhones);
  return {
    ...contact,
    givenName: contact.givenName ?? '',
    email: contact.emailAddresses?.[0]?.address ?? null,
    numbers: [...mobile, ...business, ...home],
    numbers_except_label: { businessPhones: [...mobile, ...home], homePhones: [...mobile, ...business], mobilePhone: [...business, ...home] },
  };
}
