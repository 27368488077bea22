// Learns each enabled back-end's config schema by importing its module in a throwaway worker.
// The back-ends of one package share a worker (a dozen workers would slow every start); when that
// worker dies or hangs, each of its back-ends is described alone so one bad module skips only itself.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { BackendCatalog, BackendInfo } from '../../src/contracts.js';
import type { DescribeReplies, DescribeReply } from '../../src/protocol.js';
import type { PluginEntry } from '../plugins/discovery.js';
import { workerEnv } from './settings.js';

const describeFile = fileURLToPath(new URL('../../sandbox/describe.js', import.meta.url));
const DESCRIBE_TIMEOUT_MS = 10_000;

export async function buildCatalog(backends: Map<string, PluginEntry>, log: Logger): Promise<BackendCatalog> {
  const byPackage = new Map<string, PluginEntry[]>();
  for (const entry of backends.values()) byPackage.set(entry.packageName, [...(byPackage.get(entry.packageName) ?? []), entry]);
  const described = (await Promise.all([...byPackage.values()].map((entries) => describePackage(entries, log)))).flat();
  const infos = new Map(described.filter((info): info is BackendInfo => info !== null).map((info) => [info.name, info]));
  return { list: () => [...infos.values()], get: (name) => infos.get(name) };
}

async function describePackage(entries: PluginEntry[], log: Logger): Promise<(BackendInfo | null)[]> {
  let replies = await describeIn(entries);
  if (!Array.isArray(replies) && entries.length > 1) {
    replies = await Promise.all(entries.map(async (entry) => {
      const alone = await describeIn([entry]);
      return Array.isArray(alone) ? alone[0]! : alone;
    }));
  }
  return entries.map((entry, i) => {
    const reply: DescribeReply = Array.isArray(replies) ? replies[i]! : replies;
    if (reply.ok) return { name: entry.name, configSchema: reply.configSchema };
    log.error({ backend: entry.name, module: entry.modulePath, error: reply.error }, 'back-end cannot be loaded; skipped');
    return null;
  });
}

/** The replies of one worker importing `entries`, or the one failure that ended it. */
function describeIn(entries: PluginEntry[]): Promise<DescribeReplies | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const worker = new Worker(describeFile, {
      workerData: { modulePaths: entries.map((entry) => entry.modulePath) },
      env: workerEnv(),
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      stdout: false,
    });
    let settled = false;
    const done = (reply: DescribeReplies | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(reply);
    };
    const timer = setTimeout(() => done({ ok: false, error: 'import took too long' }), DESCRIBE_TIMEOUT_MS);
    worker.once('message', done);
    worker.once('error', (error) => done({ ok: false, error: String(error?.message ?? error) }));
    worker.once('exit', (code) => done({ ok: false, error: `exited with code ${code} while loading` }));
  });
}
