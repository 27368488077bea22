// Learns each enabled back-end's config schema by importing its module in a throwaway worker.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { BackendCatalog, BackendInfo } from '../../src/contracts.js';
import type { DescribeReply } from '../../src/protocol.js';
import type { PluginEntry } from '../plugins/discovery.js';
import { workerEnv } from './settings.js';

const describeFile = fileURLToPath(new URL('../../sandbox/describe.js', import.meta.url));
const DESCRIBE_TIMEOUT_MS = 10_000;

export async function buildCatalog(backends: Map<string, PluginEntry>, log: Logger): Promise<BackendCatalog> {
  const described = await Promise.all([...backends.values()].map((entry) => describe(entry, log)));
  const infos = new Map(described.filter((info): info is BackendInfo => info !== null).map((info) => [info.name, info]));
  return { list: () => [...infos.values()], get: (name) => infos.get(name) };
}

function describe(entry: PluginEntry, log: Logger): Promise<BackendInfo | null> {
  return new Promise((resolve) => {
    const worker = new Worker(describeFile, {
      workerData: { modulePath: entry.modulePath },
      env: workerEnv(),
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      stdout: false,
    });
    let settled = false;
    const done = (reply: DescribeReply | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (reply.ok) return resolve({ name: entry.name, configSchema: reply.configSchema });
      log.error({ backend: entry.name, module: entry.modulePath, error: reply.error }, 'back-end cannot be loaded; skipped');
      resolve(null);
    };
    const timer = setTimeout(() => done({ ok: false, error: 'import took too long' }), DESCRIBE_TIMEOUT_MS);
    worker.once('message', done);
    worker.once('error', (error) => done({ ok: false, error: String(error?.message ?? error) }));
    worker.once('exit', (code) => done({ ok: false, error: `exited with code ${code} while loading` }));
  });
}
