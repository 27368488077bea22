// Imports back-end modules once, in a throwaway worker, to learn their config schemas: the host never
// imports back-end code itself. One worker describes all the back-ends of one package.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { DescribeReplies, DescribeReply } from '../src/protocol.js';

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

const replies: DescribeReplies = [];
for (const modulePath of workerData.modulePaths as string[]) replies.push(await describe(modulePath));
parentPort!.postMessage(replies);
