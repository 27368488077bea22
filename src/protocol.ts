// The one protocol between the host and a back-end's sandbox (a worker thread of its source's pool).
// Calls and replies travel as piscina tasks; worker events (hello, heartbeat) over the worker's parentPort;
// host capabilities (HostCapabilities) over a comlink channel the worker opens in its hello.
import type { MessagePort } from 'node:worker_threads';
import type { CallArgs, SourceConfig } from './contracts.js';

export type SandboxCall =
  | { op: 'search'; term: string; args: CallArgs }
  | { op: 'firstMatch'; exten: string; args: CallArgs }
  | { op: 'matchAll'; extens: string[]; args: CallArgs }
  | { op: 'list'; uids: string[]; args: CallArgs }
  | { op: 'unload' };

/** `phase: 'load'` means the back-end could not be imported or loaded: the host restarts the sandbox. */
export type SandboxReply =
  | { ok: true; value: unknown }
  | { ok: false; phase: 'load' | 'call'; error: string };

/** The workerData of every worker of a source's pool. */
export interface WorkerBoot {
  backend: string;
  modulePath: string;
  source: SourceConfig;
  /** The main configuration with its secrets masked. */
  mainConfig: Record<string, unknown>;
  heartbeatMs: number;
}

export type WorkerEvent =
  | { dird: 'hello'; threadId: number; capabilities: MessagePort }
  | { dird: 'beat'; threadId: number };

export function isWorkerEvent(message: unknown): message is WorkerEvent {
  return typeof message === 'object' && message !== null && 'dird' in message;
}

/** Reply of the describe worker, which imports a back-end module once to learn its schema. */
export type DescribeReply = { ok: true; configSchema: Record<string, unknown> | null } | { ok: false; error: string };
