// Google People API client and the contact shape dird makes of a person (spec §4.7).
import { requestJson } from './http.js';

export const DEFAULT_PEOPLE_URL = 'https://people.googleapis.com/v1';
const PERSON_FIELDS = 'names,emailAddresses,phoneNumbers,addresses,organizations,biographies';
const EXCEPT_LABELS = ['home', 'work', 'mobile', 'other', 'main', 'home_fax', 'work_fax', 'google_voice', 'pager'];

export type GoogleContact = Record<string, unknown>;

export class GoogleError extends Error {
  constructor(readonly status: number) {
    super(`Google answered ${status}`);
    this.name = 'GoogleError';
  }
}

export class GoogleClient {
  constructor(private readonly baseUrl: string = DEFAULT_PEOPLE_URL) {}

  /** Every connection of the token's owner (one page of up to 1000, like wazo-dird). */
  async all(token: string): Promise<GoogleContact[]> {
    const body = await this.get(token, `/people/me/connections?personFields=${PERSON_FIELDS}&pageSize=1000`);
    return (body.connections ?? []).map(contactOf);
  }

  /** Google's own contact search; Google wants a warm-up request without a query first. */
  async search(token: string, term: string): Promise<GoogleContact[]> {
    const path = `/people:searchContacts?readMask=${PERSON_FIELDS}&pageSize=30`;
    await this.get(token, path);
    const body = await this.get(token, `${path}&query=${encodeURIComponent(term)}`);
    return (body.results ?? []).map((result: any) => contactOf(result?.person ?? {}));
  }

  private async get(token: string, path: string): Promise<any> {
    const answer = await requestJson(this.baseUrl + path, {
      headers: { 'User-Agent': 'wazo_ua/1.0', Authorization: `Bearer ${token}`, 'GData-Version': '3.0' },
    });
    if (answer.status !== 200) throw new GoogleError(answer.status);
    return answer.body ?? {};
  }
}

const cleanNumber = (value: unknown) => String(value ?? '').replace(/[\s\-()]/g, '');

export function contactOf(person: any): GoogleContact {
  const name = person.names?.[0] ?? {};
  const phones: { label: string; number: string }[] = (person.phoneNumbers ?? [])
    .filter((phone: any) => phone?.value)
    .map((phone: any) => ({ label: String(phone.type ?? 'other'), number: cleanNumber(phone.value) }));
  const numbersByLabel: Record<string, string> = {};
  for (const { label, number } of phones) numbersByLabel[label] = number;
  const numbersExceptLabel: Record<string, string[]> = {};
  for (const label of EXCEPT_LABELS) numbersExceptLabel[label] = phones.filter((p) => p.label !== label).map((p) => p.number);
  return {
    id: name.metadata?.source?.id ?? String(person.resourceName ?? '').split('/').pop() ?? null,
    name: name.displayName || name.unstructuredName || '',
    firstname: name.givenName ?? '',
    lastname: name.familyName ?? '',
    numbers_by_label: numbersByLabel,
    numbers: [...phones.filter((p) => p.label !== 'mobile'), ...phones.filter((p) => p.label === 'mobile')].map((p) => p.number),
    numbers_except_label: numbersExceptLabel,
    emails: (person.emailAddresses ?? []).map((email: any) => ({ address: email?.value ?? '', label: email?.type ?? '' })),
    organizations: (person.organizations ?? []).map((org: any) => ({ name: org?.name ?? '', title: org?.title ?? '' })),
    addresses: (person.addresses ?? []).map((address: any) => ({ address: address?.formattedValue ?? '', label: address?.type ?? '' })),
    note: person.biographies?.[0]?.value ?? '',
  };
}

/** The strings a column holds for matching: a string; a list's strings or its dicts' values; a dict's keys. */
export function googleValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (typeof item === 'string') return [item];
      if (item && typeof item === 'object') return Object.values(item).filter((v): v is string => typeof v === 'string');
      return [];
    });
  }
  if (value && typeof value === 'object') return Object.keys(value);
  return [];
}
