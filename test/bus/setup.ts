// A dird for the bus tests: the personal tests' users (alice and bob in the master tenant, carol in
// another), the given bus settings, and its log lines kept so a test can check what was reported.
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Test } from 'tap';
import { startDird, type TestDird } from '../helpers/dird.js';
import { client, people, type Client, type Person } from '../personal/setup.js';

export const XIVO_UUID = '00000000-0000-4000-8000-00000000e1e1';

export interface BusDird {
  dird: TestDird;
  as(person: Person | 'admin', tenant?: string): Client;
  /** The bus service's log entries at warn level or above, as parsed JSON. */
  warnings(): Array<Record<string, any>>;
  /** Every log line written so far, as text. */
  logText(): string;
  status(): Promise<string>;
}

export async function startBusDird(t: Test, options: { dbUri?: string; bus: Record<string, unknown> }): Promise<BusDird> {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const staticTokens = Object.fromEntries(Object.values(people).filter((p) => p.user !== null && p.token !== 'noacl-token').map((p) => [
    p.token, { user_uuid: p.user, tenant_uuid: p.tenant, acl: ['dird.#'] },
  ]));
  const dird = await startDird({
    dbUri: options.dbUri,
    config: { uuid: XIVO_UUID, bus: options.bus, auth: { static_tokens: staticTokens } },
    log: pino({ level: 'info' }, sink),
  });
  t.teardown(() => dird.close());
  const admin = client(dird, dird.tokens.admin);
  return {
    dird,
    as: (person, tenant) => client(dird, person === 'admin' ? dird.tokens.admin : people[person].token, tenant),
    logText: () => lines.map((line) => JSON.stringify(line)).join('\n'),
    warnings: () => lines.filter((line) => line.level >= 40 && line.service === 'bus'),
    status: async () => (await admin.get('/0.1/status')).body.bus_consumer.status,
  };
}
