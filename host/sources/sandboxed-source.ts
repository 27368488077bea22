// One source's sandbox: a piscina pool running its back-end, and everything that keeps it alive —
// host-side deadlines, heartbeat watchdog, crash detection, restart with exponential backoff, and a
// crash-loop breaker that marks the source failed and retries it later.
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import * as comlink from 'comlink';
import { nodeEndpoint } from '../../src/comlink-node.js';
import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import type { CallArgs, HostCapabilities, LogLevel, SourceConfig, SourceHandle, SourceResult, SourceStatus } from '../../src/contracts.js';
import { isWorkerEvent, type SandboxCall, type SandboxReply, type WorkerBoot, type WorkerEvent } from '../../src/protocol.js';
import { SourceCallError } from './errors.js';
import { workerEnv, type SandboxSettings } from './settings.js';

const workerFile = fileURLToPath(new URL('../../sandbox/worker.js', import.meta.url));
const logLevels = new Set<LogLevel>(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

interface Thread {
  worker: Worker;
  lastBeat: number;
}

export class SandboxedSource implements SourceHandle {
  private state: SourceStatus['state'] = 'starting';
  private pool: Piscina | null = null;
  private readonly threads = new Map<number, Thread>();
  private crashTimes: number[] = [];
  private consecutiveCrashes = 0;
  private restarts = 0;
  private lastError: string | null = null;
  private hungCalls = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly capabilities: HostCapabilities;

  constructor(
    readonly config: SourceConfig,
    private readonly modulePath: string,
    private readonly settings: SandboxSettings,
    private readonly mainConfig: Record<string, unknown>,
    private readonly log: Logger,
  ) {
    this.capabilities = {
      log: (level, msg, fields) => {
        this.log[logLevels.has(level) ? level : 'info']({ ...(fields ?? {}), source: config.name }, String(msg));
      },
    };
    this.start();
  }

  search(term: string, args: CallArgs, deadline: number) {
    return this.run({ op: 'search', term, args }, deadline) as Promise<SourceResult[]>;
  }
  firstMatch(exten: string, args: CallArgs, deadline: number) {
    return this.run({ op: 'firstMatch', exten, args }, deadline) as Promise<SourceResult | null>;
  }
  matchAll(extens: string[], args: CallArgs, deadline: number) {
    return this.run({ op: 'matchAll', extens, args }, deadline) as Promise<Record<string, SourceResult>>;
  }
  list(uids: string[], args: CallArgs, deadline: number) {
    return this.run({ op: 'list', uids, args }, deadline) as Promise<SourceResult[]>;
  }

  status(): SourceStatus {
    const { uuid, name, backend } = this.config;
    return { uuid, name, backend, state: this.state, restarts: this.restarts, last_error: this.lastError };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearTimers();
    const pool = this.pool;
    this.pool = null;
    if (!pool) return;
    await Promise.race([pool.run({ op: 'unload' } satisfies SandboxCall).catch(() => {}), delay(1000)]);
    await pool.destroy().catch(() => {});
  }

  private start(): void {
    if (this.closed) return;
    this.state = 'starting';
    const { pool_size, concurrent_calls, heap_mb, stall_timeout } = this.settings;
    const boot: WorkerBoot = {
      backend: this.config.backend,
      modulePath: this.modulePath,
      source: this.config,
      mainConfig: this.mainConfig,
      heartbeatMs: Math.max(50, Math.min(500, (stall_timeout * 1000) / 4)),
    };
    const pool = new Piscina({
      filename: workerFile,
      minThreads: pool_size,
      maxThreads: pool_size,
      concurrentTasksPerWorker: concurrent_calls,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      maxQueue: pool_size * concurrent_calls * 64,
      // Keep the worker's event loop running between tasks: heartbeats, timers and sockets need it.
      atomics: 'disabled',
      env: workerEnv(),
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: heap_mb, maxYoungGenerationSizeMb: Math.max(4, Math.min(32, heap_mb / 8)) },
      workerData: boot,
    });
    pool.on('message', (message: unknown) => isWorkerEvent(message) && this.onWorkerEvent(pool, message));
    pool.on('error', (error: Error) => this.log.warn({ source: this.config.name, err: error }, 'sandbox pool error'));
    this.pool = pool;
    this.watchdog = setInterval(() => this.checkHeartbeats(pool), boot.heartbeatMs).unref();
  }

  private onWorkerEvent(pool: Piscina, event: WorkerEvent): void {
    if (pool !== this.pool) return;
    if (event.dird === 'beat') {
      const thread = this.threads.get(event.threadId);
      if (thread) thread.lastBeat = Date.now();
      return;
    }
    comlink.expose(this.capabilities, nodeEndpoint(event.capabilities as any));
    event.capabilities.unref();
    const worker = pool.threads.find((candidate) => candidate.threadId === event.threadId);
    if (!worker) return;
    this.threads.set(event.threadId, { worker, lastBeat: Date.now() });
    worker.on('error', (error: any) => {
      this.lastError = error?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'worker ran out of memory' : String(error?.message ?? error);
    });
    worker.once('exit', (code) => {
      this.threads.delete(event.threadId);
      if (pool === this.pool) this.onCrash(pool, this.lastError ?? `worker exited with code ${code}`);
    });
  }

  private checkHeartbeats(pool: Piscina): void {
    const stalledSince = Date.now() - this.settings.stall_timeout * 1000;
    for (const [threadId, thread] of this.threads) {
      if (thread.lastBeat >= stalledSince) continue;
      this.threads.delete(threadId);
      this.lastError = `worker blocked for more than ${this.settings.stall_timeout} s; terminated`;
      this.log.warn({ source: this.config.name, threadId }, this.lastError);
      void thread.worker.terminate();
    }
    void pool;
  }

  private onCrash(pool: Piscina, reason: string): void {
    if (pool !== this.pool || this.closed) return;
    this.pool = null;
    this.clearTimers();
    this.threads.clear();
    this.hungCalls = 0;
    void pool.destroy().catch(() => {});
    this.restarts += 1;
    this.lastError = reason;
    const now = Date.now();
    this.crashTimes = [...this.crashTimes.filter((t) => t > now - this.settings.crash_window * 1000), now];
    let wait: number;
    if (this.crashTimes.length >= this.settings.crash_limit) {
      this.state = 'failed';
      this.crashTimes = [];
      wait = this.settings.failed_retry;
      this.log.error({ source: this.config.name, reason, retry_in_s: wait }, 'source failed: crash loop; will retry');
    } else {
      this.state = 'backoff';
      wait = Math.min(this.settings.restart_backoff_initial * 2 ** this.consecutiveCrashes, this.settings.restart_backoff_max);
      this.consecutiveCrashes += 1;
      this.log.warn({ source: this.config.name, reason, restart_in_s: wait }, 'source sandbox crashed; restarting');
    }
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start();
    }, wait * 1000).unref();
  }

  private async run(task: SandboxCall, deadline: number): Promise<unknown> {
    const pool = this.pool;
    if (!pool) {
      throw new SourceCallError(this.config.name, 'unavailable', this.state === 'failed' ? 'failed, retrying later' : 'restarting');
    }
    const hard = Date.now() + this.settings.call_timeout * 1000;
    const running = pool.run(task) as Promise<SandboxReply>;
    let reply: SandboxReply | 'timeout';
    let timer: NodeJS.Timeout | undefined;
    try {
      reply = await Promise.race([
        running,
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, Math.min(deadline, hard) - Date.now()), 'timeout');
        }),
      ]);
    } catch (error: any) {
      throw new SourceCallError(this.config.name, 'crashed', String(error?.message ?? error));
    } finally {
      clearTimeout(timer);
    }
    if (reply === 'timeout') {
      running.catch(() => {});
      if (deadline >= hard) this.noteHungCall(pool, running);
      throw new SourceCallError(this.config.name, 'timeout', 'no answer before the deadline');
    }
    if (reply.ok) {
      this.state = 'ok';
      this.consecutiveCrashes = 0;
      return reply.value;
    }
    if (reply.phase === 'load') {
      this.onCrash(pool, `load failed: ${reply.error}`);
      throw new SourceCallError(this.config.name, 'unavailable', `load failed: ${reply.error}`);
    }
    throw new SourceCallError(this.config.name, 'backend', reply.error);
  }

  /** Calls that never return hold a slot of their worker; when all slots hang, recycle the pool. */
  private noteHungCall(pool: Piscina, running: Promise<unknown>): void {
    this.hungCalls += 1;
    running.finally(() => (this.hungCalls = Math.max(0, this.hungCalls - 1))).catch(() => {});
    if (this.hungCalls >= this.settings.pool_size * this.settings.concurrent_calls) {
      this.onCrash(pool, 'every call slot is hung');
    }
  }

  private clearTimers(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.restartTimer = this.watchdog = null;
  }
}

function delay(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
