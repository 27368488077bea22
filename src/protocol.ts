// The one protocol between the host and a back-end's sandbox (a worker thread of its source's pool).
// piscina owns the workers (spawn, replace, env, heap cap). Each worker opens two channels in its hello:
// `calls`, where calls and replies travel in batches (one postMessage per event-loop turn, each call
// answered as soon as it is done), and `capabilities`, where comlink serves HostCapabilities.
// Heartbeats travel over the worker's parentPort.
import type { MessagePort } from 'node:worker_threads';
import type { CallArgs, SourceConfig } from './contracts.js';
import type { AnswerSnapshot } from './shared-answers.js';

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
  /** Whether the back-end gets `answers` to publish its reverse answers to the host. */
  sharedAnswers: boolean;
}

export interface CallEnvelope {
  id: number;
  call: SandboxCall;
}
export interface ReplyEnvelope {
  id: number;
  reply: SandboxReply;
}

export type WorkerEvent =
  | { dird: 'hello'; threadId: number; calls: MessagePort; capabilities: MessagePort }
  | { dird: 'beat'; threadId: number }
  /** The back-end's import and load() finished; `error` says why they failed. */
  | { dird: 'loaded'; threadId: number; error: string | null }
  /** The back-end's published answers (null: withdrawn, ask the worker); with `user`, that user's only. */
  | { dird: 'answers'; threadId: number; snapshot: AnswerSnapshot | null; user?: string };

export function isWorkerEvent(message: unknown): message is WorkerEvent {
  return typeof message === 'object' && message !== null && 'dird' in message;
}

/** Reply of the describe worker, which imports a back-end module once to learn its schema. */
export type DescribeReply = { ok: true; configSchema: Record<string, unknown> | null } | { ok: false; error: string };
/** The describe worker's one message: a reply per module, in the order of its `modulePaths`. */
export type DescribeReplies = DescribeReply[];
