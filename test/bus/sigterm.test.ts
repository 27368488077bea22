// `dird -c FILE` connected to the bus stops cleanly on SIGTERM: exit code 0, its consumer gone from the broker.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../src/config/load.js';
import { eventually, useTestBroker } from './broker.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

t.test('SIGTERM closes the bus connection and exits 0', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'dird-bus-cli-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const broker = await useTestBroker(t);
  const port = await freePort();
  const token = 'bus-cli-token';
  const configFile = join(work, 'config.yml');
  writeFileSync(configFile, JSON.stringify({
    rest_api: { listen: '127.0.0.1', port },
    phone_api: { listen: '127.0.0.1', port: await freePort() },
    metrics: { enabled: false },
    db_uri: `sqlite:${work}/dird.sqlite`,
    auth: { static_tokens: { [token]: { user_uuid: '00000000-0000-4000-8000-0000000000a1', tenant_uuid: '00000000-0000-4000-8000-00000000000a', acl: ['dird.#'] } } },
    bus: broker.busConfig(),
  }));
  const child = spawn(process.execPath, [join(packageRoot, 'dist/host/main.js'), '-c', configFile], { cwd: work });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => child.kill('SIGKILL'));

  const busStatus = () => fetch(`http://127.0.0.1:${port}/0.1/status`, { headers: { 'X-Auth-Token': token } })
    .then(async (r) => (await r.json()).bus_consumer.status, () => null);
  t.equal(await eventually(async () => (await busStatus()) === 'ok' && 'ok', 30_000), 'ok', 'consuming');
  t.equal(await broker.consumers(), 1);
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'exit code 0 (not the shutdown watchdog)');
  t.equal(await broker.consumers(), 0, 'its consumer is gone');
  t.notMatch(output, /"level":50/, 'no error was logged');
});
