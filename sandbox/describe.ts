// Imports a back-end module once, in a throwaway worker, to learn its config schema: the host never
// imports back-end code itself.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { DescribeReply } from '../src/protocol.js';

async function describe(modulePath: string): Promise<DescribeReply> {
  try {
    const module = await import(pathToFileURL(modulePath).href);
    const schema = module.configSchema ?? module.default?.configSchema ?? null;
    const Class = typeof module.default === 'function' ? module.default : module.default?.default;
    if (typeof Class !== 'function') return { ok: false, error: 'no default export class' };
    return { ok: true, configSchema: schema && typeof schema === 'object' ? JSON.parse(JSON.stringify(schema)) : null };
  } catch (error: any) {
    return { ok: false, error: String(error?.message ?? error) };
  }
}

parentPort!.postMessage(await describe(workerData.modulePath as string));
