// Configuration as operators write it: layered files, unknown keys tolerated, secrets masked.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig, parseCommandLine } from '../../src/config/load.js';
import { redact } from '../../src/config/redact.js';
import type { SourceConfig } from '../../src/contracts.js';
import { cacheSettings } from '../../plugins/services/reverse/cache.js';

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

t.test('reverse_cache: a bad value is a warning naming key and value, and its default applies', async (t) => {
  const conf = join(work, 'reverse-cache.yml');
  writeFileSync(conf, [
    'reverse_cache:',
    '  enabled: "true"',
    '  ttl: -5',
    '  stale_ttl: 5m',
    '  negative_ttl: 1e400',
    '  max_entries: 100000000',
    '  refresh_timeout: 3',
    '  tll: 60',
    '  sources:',
    '    crm: {ttl: 60, max_entries: 2.5}',
    '    bad: 7',
    '    off: false',
    '    empty:',
  ].join('\n'));
  const { config, warnings } = loadConfig(parseCommandLine(['-c', conf]));
  t.same(config.reverse_cache, { refresh_timeout: 3, sources: { crm: { ttl: 60 }, off: { enabled: false } } }, 'only the good values are kept');
  t.equal(cacheSettings({ ...config.reverse_cache, enabled: true }, { uuid: 'u', name: 'off', backend: 'ldap' } as SourceConfig), null, '`off: false` switches that source off');
  t.not(cacheSettings({ ...config.reverse_cache, enabled: true }, { uuid: 'u', name: 'empty', backend: 'ldap' } as SourceConfig), null, 'an empty entry changes nothing');
  t.same(warnings, [
    'reverse_cache.enabled: "true" is not true or false; ignored, the default applies',
    'reverse_cache.ttl: -5 is not a number ≥ 0; ignored, the default applies',
    'reverse_cache.stale_ttl: "5m" is not a number ≥ 0; ignored, the default applies',
    'reverse_cache.negative_ttl: Infinity is not a number ≥ 0; ignored, the default applies',
    'reverse_cache.max_entries: 100000000 is not an integer from 1 to 1000000; ignored, the default applies',
    'unknown configuration key "reverse_cache.tll" (ignored)',
    'reverse_cache.sources.crm.max_entries: 2.5 is not an integer from 1 to 1000000; ignored, the default applies',
    'reverse_cache.sources.bad: 7 is not a mapping; ignored',
  ]);
  writeFileSync(conf, 'reverse_cache: {enabled: true, ttl: 60, max_entries: 1000000, sources: {crm: {enabled: false}}}\n');
  const good = loadConfig(parseCommandLine(['-c', conf]));
  t.same(good.warnings, [], 'good values: no warning');
  t.same(good.config.reverse_cache, { enabled: true, ttl: 60, max_entries: 1000000, sources: { crm: { enabled: false } } });
});
