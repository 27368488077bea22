// A grant may keep source fields in the host: its back-end's worker gets the source without them.
import t from 'tap';
import { startDird } from '../helpers/dird.js';

const dird = await startDird();
t.teardown(() => dird.close());
const headers = { 'x-auth-token': dird.tokens.admin };

t.test('the worker does not receive a concealed field; the capability still uses it', async (t) => {
  const source = (await dird.inject({ method: 'POST', url: '/0.1/backends/concealing/sources', headers, payload: {
    name: 'vaulted', auth: { username: 'svc', password: 'hunter22' }, first_matched_columns: ['id'],
    format_columns: { reverse: '{seen} {length}' },
  } })).json();
  const profile = await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
    name: 'vaulted', services: { reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } } },
  } });
  t.equal(profile.statusCode, 201);
  const answer = (await dird.inject({ url: `/0.1/directories/reverse/vaulted/${dird.users.admin}?exten=1`, headers })).json();
  t.equal(answer.display, '{"username":"svc"} 8');
  const stored = (await dird.inject({ url: `/0.1/backends/concealing/sources/${source.uuid}`, headers })).json();
  t.equal(stored.auth.password, 'hunter22', 'the stored source keeps it (spec §2.5 returns secrets on read)');
});
