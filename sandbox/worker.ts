// Entry of every back-end worker. Importing this file never throws: the back-end is loaded in the
// background and a load failure is answered to each call, so piscina never sees a worker die during
// bootstrap (which would stop it from ever replacing workers of the pool).
// Calls arrive in batches on the `calls` channel; each is answered as soon as it is done.
import { MessageChannel, parentPort, threadId } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import * as comlink from 'comlink';
import { nodeEndpoint } from '../src/comlink-node.js';
import Piscina from 'piscina';
import type { Backend, BackendModule, Fields, HostCapabilities, AsyncCapabilities, SourceResult } from '../src/contracts.js';
import { BatchingPort } from '../src/batching-port.js';
import type { CallEnvelope, ReplyEnvelope, SandboxCall, SandboxReply, WorkerBoot, WorkerEvent } from '../src/protocol.js';
import { makeResultBuilder } from '../src/result.js';
import { WorkerAnswers } from './answers.js';

const boot = Piscina.workerData as WorkerBoot;

function post(event: WorkerEvent, transfer: any[] = []) {
  parentPort!.postMessage(event, transfer);
}

// Heartbeats let the host see a blocked event loop (a busy back-end) and terminate this thread.
setInterval(() => post({ dird: 'beat', threadId }), boot.heartbeatMs).unref();

const capabilities = new MessageChannel();
const calls = new MessageChannel();
post({ dird: 'hello', threadId, calls: calls.port2, capabilities: capabilities.port2 }, [calls.port2, capabilities.port2]);
const host = comlink.wrap<HostCapabilities>(nodeEndpoint(capabilities.port1)) as unknown as AsyncCapabilities<HostCapabilities> & Record<string, any>;
capabilities.port1.unref();

const replies = new BatchingPort<ReplyEnvelope>(calls.port1, ({ id }, error: any) => ({
  id,
  reply: { ok: false, phase: 'call', error: `the back-end answered something that cannot be sent: ${error?.message ?? error}` },
}));
calls.port1.on('message', (batch: CallEnvelope[]) => {
  for (const { id, call } of batch) void serve(call).then((reply) => replies.send({ id, reply }));
});

interface Loaded {
  backend: Backend;
  build: (raw: Fields) => SourceResult;
}

async function load(): Promise<Loaded> {
  const module = (await import(pathToFileURL(boot.modulePath).href)) as BackendModule & { default: any };
  // A CommonJS module's `module.exports` arrives as `default`; an ES module compiled to CJS nests it again.
  const Class = typeof module.default === 'function' ? module.default : module.default?.default;
  if (typeof Class !== 'function') throw new Error(`${boot.modulePath} has no default export class`);
  // The result builder reads format_columns after load: a back-end may complete them there (google does).
  let built: (build: Loaded['build']) => void = () => {};
  const builder = new Promise<Loaded['build']>((resolve) => (built = resolve));
  const answers = boot.sharedAnswers
    ? new WorkerAnswers(builder, (snapshot, user) => post({ dird: 'answers', threadId, snapshot, ...(user ? { user } : {}) }), (message) => void host.log('warn', message).catch(() => {}))
    : undefined;
  const backend: Backend = new Class();
  await backend.load?.({ config: boot.source, main_config: boot.mainConfig, host, answers });
  const flags = module.resultFlags ?? module.default?.resultFlags;
  const relations = module.relations ?? module.default?.relations;
  const build = makeResultBuilder({ source: boot.source, flags, relations });
  built(build);
  return { backend, build };
}

const loading = load();
loading.then(
  () => post({ dird: 'loaded', threadId, error: null }),
  (error) => post({ dird: 'loaded', threadId, error: String(error?.message ?? error) }),
);

async function call(loaded: Loaded, task: SandboxCall): Promise<unknown> {
  const { backend, build } = loaded;
  switch (task.op) {
    case 'search':
      return ((await backend.search(task.term, task.args)) ?? []).map(build);
    case 'firstMatch': {
      const found = await backend.firstMatch(task.exten, task.args);
      return found ? build(found) : null;
    }
    case 'matchAll': {
      const found = backend.matchAll
        ? await backend.matchAll(task.extens, task.args)
        : await firstMatchEach(backend, task.extens, task.args);
      return Object.fromEntries(Object.entries(found ?? {}).map(([exten, raw]) => [exten, build(raw)]));
    }
    case 'list':
      return backend.list ? ((await backend.list(task.uids, task.args)) ?? []).map(build) : [];
    case 'unload':
      await backend.unload?.();
      return null;
  }
}

async function firstMatchEach(backend: Backend, extens: string[], args: any): Promise<Record<string, Fields>> {
  const found = await Promise.all(extens.map((exten) => backend.firstMatch(exten, args)));
  const out: Record<string, Fields> = {};
  extens.forEach((exten, i) => {
    if (found[i]) out[exten] = found[i]!;
  });
  return out;
}

/** Answers one call; also the piscina task handler, so a call may be run as a plain piscina task too. */
export default async function serve(task: SandboxCall): Promise<SandboxReply> {
  let loaded: Loaded;
  try {
    loaded = await loading;
  } catch (error: any) {
    return { ok: false, phase: 'load', error: String(error?.message ?? error) };
  }
  try {
    return { ok: true, value: await call(loaded, task) };
  } catch (error: any) {
    return { ok: false, phase: 'call', error: String(error?.message ?? error) };
  }
}
