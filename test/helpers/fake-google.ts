// A stand-in for the Google People API (connections, searchContacts) speaking its JSON.
import { StandIn } from './stand-in.js';

export interface FakePerson {
  id: string;
  givenName: string;
  familyName?: string;
  phones?: { value: string; type?: string }[];
  emails?: { value: string; type?: string }[];
  organization?: { name: string; title?: string };
  address?: { formattedValue: string; type?: string };
  note?: string;
}

function person(p: FakePerson) {
  const displayName = [p.givenName, p.familyName].filter(Boolean).join(' ');
  const metadata = { primary: true, source: { type: 'CONTACT', id: p.id } };
  return {
    resourceName: `people/c${p.id}`,
    etag: `%E${p.id}`,
    names: [{ metadata, displayName, familyName: p.familyName, givenName: p.givenName, displayNameLastFirst: displayName, unstructuredName: displayName }],
    phoneNumbers: (p.phones ?? []).map((phone) => ({ metadata, value: phone.value, type: phone.type, formattedType: phone.type })),
    emailAddresses: (p.emails ?? []).map((email) => ({ metadata, value: email.value, type: email.type, formattedType: email.type })),
    organizations: p.organization ? [{ metadata, name: p.organization.name, title: p.organization.title }] : undefined,
    addresses: p.address ? [{ metadata, formattedValue: p.address.formattedValue, type: p.address.type }] : undefined,
    biographies: p.note ? [{ metadata, value: p.note, contentType: 'TEXT_PLAIN' }] : undefined,
  };
}

/** Serves `people` to requests bearing `accessToken`. */
export function fakeGoogle(accessToken: string, people: FakePerson[]): StandIn {
  return new StandIn((request) => {
    if (request.headers.authorization !== `Bearer ${accessToken}`) {
      return { status: 401, body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } };
    }
    if (request.path === '/v1/people/me/connections') {
      return { status: 200, body: { connections: people.map(person), totalPeople: people.length, totalItems: people.length } };
    }
    if (request.path === '/v1/people:searchContacts') {
      const query = request.query.get('query');
      if (query === null) return { status: 200, body: {} };
      const found = people.filter((p) => `${p.givenName} ${p.familyName ?? ''}`.toLowerCase().includes(query.toLowerCase()));
      return { status: 200, body: found.length ? { results: found.map((p) => ({ person: person(p) })) } : {} };
    }
    return { status: 404, body: { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } } };
  });
}
