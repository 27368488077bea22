// Configuration as operators write it: layered files, unknown keys tolerated, secrets masked.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig, parseCommandLine } from '../../src/config/load.js';
import { redact } from '../../src/config/redact.js';

const work = mkdtempSync(join(tmpdir(), 'dird-config-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

t.test('command line, extra files and the config file merge over the defaults', async (t) => {
  const conf = join(work, 'main.yml');
  const extra = join(work, 'conf.d');
  mkdirSync(extra);
  writeFileSync(conf, [
    `extra_config_files: ${extra}`,
    'rest_api: {port: 1234}',
    'auth: {host: auth.example, port: 9497}',
    'log_level: warning',
  ].join('\n'));
  writeFileSync(join(extra, '10-first.yml'), 'auth: {host: first.example}\n');
  writeFileSync(join(extra, '20-second.yml'), 'auth: {host: second.example, prefix: /api/auth}\n');
  writeFileSync(join(extra, '.hidden.yml'), 'auth: {host: hidden.example}\n');
  const { config, warnings } = loadConfig(parseCommandLine(['--config-file', conf, '-l', 'debug']));
  t.equal(config.rest_api.port, 1234, 'config file over defaults');
  t.equal(config.rest_api.listen, '127.0.0.1', 'defaults kept where not overridden');
  t.equal(config.auth.host, 'first.example', 'alphabetically first extra file wins');
  t.equal(config.auth.prefix, '/api/auth', 'later extra files still fill what the first lacks');
  t.equal(config.log_level, 'debug', 'command line wins');
  t.same(warnings, [], 'nothing unknown');
});

t.test('unknown keys are warned about, never fatal', async (t) => {
  const conf = join(work, 'unknown.yml');
  writeFileSync(conf, 'frobnicate: 1\nrest_api: {port: 9, speed: fast}\nservices: {anything: {goes: here}}\n');
  const { config, warnings } = loadConfig(parseCommandLine(['-c', conf]));
  t.equal(config.rest_api.port, 9);
  t.match([...warnings].sort(), [/"frobnicate"/, /"rest_api\.speed"/]);
  t.equal(warnings.length, 2, 'free-form sections (services) are not warned about');
});

t.test('a missing explicit config file is an error', async (t) => {
  t.throws(() => loadConfig(parseCommandLine(['-c', join(work, 'nope.yml')])), /not found/);
});

t.test('secrets are masked', async (t) => {
  const masked = redact({
    db_uri: 'postgresql://asterisk:proformatique@localhost/asterisk',
    auth: { password: 'pw', key_file: '/var/lib/key.yml', static_tokens: { 'sekret-token': { acl: ['dird.#'] } } },
    bus: { password: 'guest', username: 'guest' },
  });
  const text = JSON.stringify(masked);
  for (const secret of ['proformatique', '"pw"', 'sekret-token', '"guest","username"']) t.notMatch(text, secret);
  t.equal(masked.auth.key_file, '/var/lib/key.yml', 'a key file path is not a secret');
  t.equal(masked.bus.username, 'guest');
  t.match(masked.db_uri, /^postgresql:\/\/asterisk:\*+@localhost\/asterisk$/);
});
