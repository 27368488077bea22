// Without a token, the phone's user gives the tenant: with wazo-auth unreachable the phone gets a 503.
import { createServer } from 'node:net';
import pino from 'pino';
import t from 'tap';
import { createDird } from '../../host/app.js';
import type { PhoneApi } from '../../plugins/services/phone_api/index.js';
import { defaults } from '../../src/config/defaults.js';
import { deepMerge } from '../../src/config/merge.js';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

t.test('auth server unreachable: 503 with a reason', async (t) => {
  const config = deepMerge(defaults, {
    db_uri: 'sqlite::memory:',
    auth: { host: '127.0.0.1', port: await closedPort(), username: 'dird', password: 'secret', timeout: 1 },
  });
  const dird = await createDird(config, pino({ level: 'silent' }));
  t.teardown(() => dird.close());
  const url = await (dird.services.phone_api as PhoneApi).listen({ host: '127.0.0.1', port: 0 });
  const response = await fetch(`${url}/0.1/directories/lookup/default/yealink?xivo_user_uuid=00000000-0000-4000-8000-000000000001&term=a`);
  t.equal(response.status, 503);
  const body = await response.json();
  t.match(body, { reason: [/Authentication server unreachable/], status_code: 503 });
  t.notMatch(JSON.stringify(body), /secret/, 'no credentials in the answer');
});
