// A stand-in for Microsoft Graph's /me/contacts: `$count`, `$top`, and server-side pages linked by
// `@odata.nextLink`, as Graph does past its page size.
import { StandIn } from './stand-in.js';

export interface GraphContact {
  id: string;
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  mobilePhone?: string | null;
  businessPhones?: string[];
  homePhones?: string[];
  emailAddresses?: { name: string; address: string }[];
}

export function fakeGraph(accessToken: string, contacts: GraphContact[], pageSize = 2): StandIn {
  const server: StandIn = new StandIn((request) => {
    if (request.headers.authorization !== `Bearer ${accessToken}`) {
      return { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } } };
    }
    if (request.path !== '/v1.0/me/contacts') return { status: 404, body: { error: { code: 'UnknownError', message: '' } } };
    const all = contacts.map((c) => ({
      '@odata.etag': `W/"${c.id}"`, givenName: null, surname: null, mobilePhone: null, businessPhones: [], homePhones: [], emailAddresses: [], ...c,
    }));
    const top = Math.min(Number(request.query.get('$top') ?? pageSize), pageSize);
    const skip = Number(request.query.get('$skip') ?? 0);
    const body: Record<string, unknown> = { '@odata.context': `${server.url}/v1.0/$metadata#users('me')/contacts`, value: all.slice(skip, skip + top) };
    if (request.query.get('$count') === 'true') body['@odata.count'] = all.length;
    const wanted = Number(request.query.get('$top') ?? all.length);
    if (skip + top < Math.min(all.length, wanted)) body['@odata.nextLink'] = `${server.url}/v1.0/me/contacts?$top=${wanted}&$skip=${skip + top}`;
    return { status: 200, body };
  });
  return server;
}
