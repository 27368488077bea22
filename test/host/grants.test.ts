// A service lends a capability to its own package's back-end, never to another package's.
import t from 'tap';
import { startDird } from '../helpers/dird.js';

const dird = await startDird();
t.teardown(() => dird.close());
const headers = { 'x-auth-token': dird.tokens.admin };

const SILENT_USER = '00000000-0000-4000-8000-00000000051e';
const CHECK_FAILS_USER = '00000000-0000-4000-8000-0000000000fa';

const profiles = new Set<string>();

async function reverseThrough(backend: string, user = dird.users.admin): Promise<any> {
  if (!profiles.has(backend)) {
    profiles.add(backend);
    const source = (await dird.inject({ method: 'POST', url: `/0.1/backends/${backend}/sources`, headers,
      payload: { name: `via-${backend}`, first_matched_columns: ['number'], format_columns: { reverse: '{firstname} {lastname}' } } })).json();
    const profile = (await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
      name: `p-${backend}`, services: { reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } } },
    } })).json();
    t.ok(profile.uuid, `profile for ${backend} created`);
  }
  const answer = await dird.inject({ url: `/0.1/directories/reverse/p-${backend}/${user}?exten=1234`, headers });
  return answer.json();
}

t.test('the granting package’s own back-end uses the capability', async (t) => {
  const answer = await reverseThrough('granted');
  t.equal(answer.display, 'Secret via-granted', 'the capability answered with the source it was made for');
});

t.test('a back-end of another package does not receive it, even when named in the grant', async (t) => {
  const answer = await reverseThrough('intruder');
  t.match(answer.display, /^refused /, 'the call through a capability it was not granted failed');
});

t.test('a grant’s host-side check answers nothing for its caller without asking the back-end', async (t) => {
  const silent = await reverseThrough('granted', SILENT_USER);
  t.same(silent, { display: null, exten: '1234', fields: {}, source: null }, 'the worker, asked, would have answered');
  const other = await reverseThrough('granted');
  t.equal(other.display, 'Secret via-granted', 'other callers are asked as usual');
  const intruder = await reverseThrough('intruder', SILENT_USER);
  t.match(intruder.display, /^refused /, 'the check is not applied to another package’s back-end');
  const failing = await reverseThrough('granted', CHECK_FAILS_USER);
  t.equal(failing.display, 'Secret via-granted', 'a check that throws knows nothing: the back-end is asked');
});

t.test('with the reverse cache on, a caller the source knows nothing about fills no cache entry', async (t) => {
  const cached = await startDird({ config: { reverse_cache: { sources: { 'cached-granted': { enabled: true } } } } });
  t.teardown(() => cached.close());
  const admin = { 'x-auth-token': cached.tokens.admin };
  const source = (await cached.inject({ method: 'POST', url: '/0.1/backends/granted/sources', headers: admin,
    payload: { name: 'cached-granted', first_matched_columns: ['number'], format_columns: { reverse: '{firstname} {lastname}' } } })).json();
  await cached.inject({ method: 'POST', url: '/0.1/profiles', headers: admin,
    payload: { name: 'cached', services: { reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } } } } });
  const reverse = async (user: string, exten: string) =>
    (await cached.inject({ url: `/0.1/directories/reverse/cached/${user}?exten=${exten}`, headers: admin })).json().display;
  const size = () => cached.dird.services.reverse.cache.size(source.uuid);

  t.equal(await reverse(SILENT_USER, '1234'), null);
  t.equal(await reverse(SILENT_USER, '1235'), null);
  t.equal(size(), 0, 'nothing cached for the silent caller');
  t.equal(await reverse(cached.users.admin, '1234'), 'Secret cached-granted');
  t.equal(size(), 1, 'other callers are cached as usual');
});
