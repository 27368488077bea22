// dird as operators start it: `dird -c FILE`, a generated admin token, the sample profile, a clean SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../src/config/load.js';

const work = mkdtempSync(join(tmpdir(), 'dird-cli-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function run(configFile: string) {
  const child = spawn(process.execPath, [join(packageRoot, 'dist/host/main.js'), '-c', configFile], { cwd: work });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitReady(base: string, token: string) {
  for (let attempt = 0; attempt < 150; attempt++) {
    const ok = await fetch(`${base}/0.1/status`, { headers: { 'X-Auth-Token': token } }).then((r) => r.status, () => 0);
    if (ok) return ok;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return 0;
}

t.test('first start: admin token generated, sample profile answers, SIGTERM stops cleanly', async (t) => {
  const port = await freePort();
  const configFile = join(work, 'config.yml');
  writeFileSync(configFile, [
    `rest_api: {listen: 127.0.0.1, port: ${port}}`,
    `phone_api: {listen: 127.0.0.1, port: ${await freePort()}}`,
    `data_dir: ${work}/data`,
    `db_uri: sqlite:${work}/data/dird.sqlite`,
    'auth: {generate_admin_token: true}',
    'bootstrap: {sample: true}',
    'frobnicate: true',
  ].join('\n'));
  const base = `http://127.0.0.1:${port}`;
  const first = await run(configFile);
  t.equal(await waitReady(base, 'nobody'), 401, 'ready, and a made-up token is refused');
  const tokenFile = join(work, 'data/admin-token.json');
  const admin = JSON.parse(readFileSync(tokenFile, 'utf8'));
  t.equal(statSync(tokenFile).mode & 0o777, 0o600, 'the token file is private');
  t.match(first.output(), admin.token, 'the token was printed once');
  t.match(first.output(), /unknown configuration key \\"frobnicate\\"/, 'an unknown key is a warning');
  const lookup = await fetch(`${base}/0.1/directories/lookup/default?term=ardent`, { headers: { 'X-Auth-Token': admin.token } });
  t.same((await lookup.json()).results.map((r: any) => r.column_values[0]), ['Alice Ardent']);
  const reverse = await fetch(`${base}/0.1/directories/reverse/default/${admin.user_uuid}?exten=5551000002`, {
    headers: { 'X-Auth-Token': admin.token },
  });
  t.equal((await reverse.json()).display, 'Bob Bernier');
  const stopping = Date.now();
  first.child.kill('SIGTERM');
  t.equal(await first.exited, 0, 'exit code 0');
  t.ok(Date.now() - stopping < 10_000, 'stopped within 10 s');
  t.notMatch(first.output(), /"level":50/, 'no error was logged');

  const second = await run(configFile);
  t.equal(await waitReady(base, admin.token), 200, 'the kept token works after a restart');
  t.notMatch(second.output(), admin.token, 'the token is not printed again');
  const profiles = await fetch(`${base}/0.1/profiles`, { headers: { 'X-Auth-Token': admin.token } });
  t.equal((await profiles.json()).total, 1, 'the sample is not seeded twice');
  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0);
});
