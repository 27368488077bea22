// `dird` (the CLI) opens the phone API next to the REST API, and keeps running when its port is taken.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { packageRoot } from '../../src/config/load.js';

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => resolve(server));
  });
}
const portOf = (server: Server) => (server.address() as { port: number }).port;

async function runDird(t: Test, phonePort: number) {
  const restServer = await listen();
  const restPort = portOf(restServer);
  await new Promise((resolve) => restServer.close(resolve));
  const work = mkdtempSync(join(tmpdir(), 'dird-phones-cli-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const config = join(work, 'config.yml');
  writeFileSync(config, JSON.stringify({
    rest_api: { listen: '127.0.0.1', port: restPort },
    phone_api: { listen: '127.0.0.1', port: phonePort },
    db_uri: 'sqlite::memory:',
    auth: { static_tokens: { tok: { user_uuid: 'u', tenant_uuid: '00000000-0000-4000-8000-000000000001', acl: ['dird.#'] } } },
  }));
  const child = spawn(process.execPath, [join(packageRoot, 'dist/host/main.js'), '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const settled = await new Promise<boolean>((resolve) => {
    const check = () => /phone API (ready|cannot listen)/.test(output) && resolve(true);
    child.stdout.on('data', check);
    child.once('exit', () => resolve(false));
    setTimeout(() => resolve(false), 60_000).unref();
  });
  return { child, restPort, output: () => output, settled };
}

t.test('the phone API listens on phone_api.port', async (t) => {
  const free = await listen();
  const phonePort = portOf(free);
  await new Promise((resolve) => free.close(resolve));
  const dird = await runDird(t, phonePort);
  t.ok(dird.settled, 'dird started');
  const response = await fetch(`http://127.0.0.1:${phonePort}/0.1/directories/lookup/default/yealink?xivo_user_uuid=u&term=x`);
  t.equal(response.status, 404, 'the phone API answers (profile default does not exist)');
});

t.test('a taken phone port is logged and the REST API still serves', async (t) => {
  const taken = await listen();
  t.teardown(() => taken.close());
  const dird = await runDird(t, portOf(taken));
  t.ok(dird.settled, 'dird started');
  t.match(dird.output(), /phone API cannot listen/);
  const status = await fetch(`http://127.0.0.1:${dird.restPort}/0.1/status`, { headers: { 'X-Auth-Token': 'tok' } });
  t.equal(status.status, 200);
  t.equal(dird.child.exitCode, null, 'still running');
});
