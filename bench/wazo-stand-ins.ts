// wazo-auth and wazo-confd stand-ins for bench/wazo-profile.ts, in a process of their own so that the
// load generator does not starve them. Prints `{"auth": port, "confd": port}` once listening.
import { FakeWazoAuth } from '../test/auth/fake-wazo-auth.js';
import { fakeConfd } from '../test/helpers/fake-confd.js';
import { BENCH_TENANT, BENCH_TOKEN, BENCH_USER } from './common.js';

const [usersArg, conferencesArg, username, password, tenant] = process.argv.slice(2);
// The bench user is known, with no Google or Microsoft account linked: those sources find nothing, fast.
const tokens = { [BENCH_TOKEN]: { user_uuid: BENCH_USER, tenant_uuid: BENCH_TENANT, acl: [] } };
const auth = await new FakeWazoAuth({ tokens, tenants: [], service: { username, password, tenant_uuid: tenant } }).start();
const users = Array.from({ length: Number(usersArg) }, (_, i) => ({
  id: i + 1, uuid: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, firstname: `User${i}`, lastname: 'Wazo', exten: String(1000 + i),
}));
const conferences = Array.from({ length: Number(conferencesArg) }, (_, i) => ({
  id: i + 1, name: `Room ${i}`, extensions: [{ context: 'default', exten: String(4000 + i) }], incalls: [],
}));
const confd = await fakeConfd({ uuid: 'bench', users, conferences, validToken: (token) => auth.knows(token) }).start();
// A real confd runs elsewhere or on cores of its own: here, repeated questions are answered from memory
// so that the stand-in takes as little as possible of the two cores dird is measured on.
confd.memoize = true;
// They record every request; a bench makes hundreds of thousands.
setInterval(() => {
  confd.requests.length = 0;
  auth.requests.length = 0;
}, 1000);
process.stdout.write(JSON.stringify({ auth: auth.port, confd: confd.port }) + '\n');
process.on('SIGTERM', () => process.exit(0));
