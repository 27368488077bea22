// One source's sandbox: a piscina pool of workers running its back-end, and everything that keeps it
// alive — host-side deadlines, a heartbeat watchdog, crash detection, restart with exponential backoff,
// and a crash-loop breaker that marks the source failed and retries it later.
import { fileURLToPath } from 'node:url';
import * as comlink from 'comlink';
import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import { nodeEndpoint } from '../../src/comlink-node.js';
import type { CallArgs, Capability, HostCapabilities, LogLevel, SourceConfig, SourceHandle, SourceResult, SourceStatus } from '../../src/contracts.js';
import { matchingOf } from '../../src/numbers.js';
import { isWorkerEvent, type SandboxCall, type WorkerBoot, type WorkerEvent } from '../../src/protocol.js';
import { AnswerReader } from '../../src/shared-answers.js';
import { noMeter, type SourceMeter } from '../metrics.js';
import { SourceCallError } from './errors.js';
import type { AnswersNothing } from './grants.js';
import { workerEnv, type SandboxSettings } from './settings.js';
import { WorkerLink, type LinkReply } from './worker-link.js';

/** Users whose published answers the host keeps per source (the oldest published are dropped first). */
const MAX_USERS_WITH_ANSWERS = 10_000;
const workerFile = fileURLToPath(new URL('../../sandbox/worker.js', import.meta.url));
const logLevels = new Set<LogLevel>(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

export class SandboxedSource implements SourceHandle {
  private state: SourceStatus['state'] = 'starting';
  private pool: Piscina | null = null;
  private readonly links = new Map<number, WorkerLink>();
  private linkWaiters: Array<() => void> = [];
  private crashTimes: number[] = [];
  private consecutiveCrashes = 0;
  private restarts = 0;
  private lastError: string | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private closed = false;
  /** The reverse answers the back-end published (null: none, or withdrawn); read without a worker call. */
  private answers: AnswerReader | null = null;
  /** Answers published for one user's calls (personal), least recently published first. */
  private readonly userAnswers = new Map<string, AnswerReader>();
  private readonly capabilities: HostCapabilities | Record<string, Capability>;

  constructor(
    readonly config: SourceConfig,
    private readonly modulePath: string,
    private readonly settings: SandboxSettings,
    private readonly mainConfig: Record<string, unknown>,
    private readonly log: Logger,
    granted: Record<string, Capability> = {},
    /** The config the worker gets: `config` minus what grants keep in the host. */
    private readonly workerConfig: SourceConfig = config,
    private readonly meter: SourceMeter = noMeter,
    /** A grant's host-side check: when true, the call answers nothing without a worker call. */
    private readonly answersNothing: AnswersNothing | null = null,
  ) {
    this.capabilities = {
      ...granted,
      log: (level, msg, fields) => {
        this.log[logLevels.has(level) ? level : 'info']({ ...(fields ?? {}), source: config.name }, String(msg));
      },
    };
    this.start();
  }

  search(term: string, args: CallArgs, deadline: number) {
    if (this.answersNothing?.(args)) return this.known<SourceResult[]>('search', []);
    return this.run({ op: 'search', term, args }, deadline) as Promise<SourceResult[]>;
  }
  firstMatch(exten: string, args: CallArgs, deadline: number) {
    const now = this.firstMatchNow(exten, args);
    if (now !== undefined) return Promise.resolve(now);
    return this.run({ op: 'firstMatch', exten, args }, deadline) as Promise<SourceResult | null>;
  }
  firstMatchNow(exten: string, args: CallArgs): SourceResult | null | undefined {
    if (this.answersNothing?.(args)) return this.knownNow('firstMatch', null);
    const answers = this.answersFor(args);
    if (!answers) return undefined;
    const started = performance.now();
    const answer = answers.firstMatch(exten, matchingOf(args));
    if (answer !== undefined) this.meter.answered('firstMatch', (performance.now() - started) / 1000);
    return answer;
  }
  matchAll(extens: string[], args: CallArgs, deadline: number) {
    if (this.answersNothing?.(args)) return this.known<Record<string, SourceResult>>('matchAll', {});
    const answers = this.answersFor(args);
    if (answers) {
      const started = performance.now();
      const answer = answers.matchAll(extens, matchingOf(args));
      if (answer !== undefined) return this.published('matchAll', answer, started);
    }
    return this.run({ op: 'matchAll', extens, args }, deadline) as Promise<Record<string, SourceResult>>;
  }
  list(uids: string[], args: CallArgs, deadline: number) {
    if (this.answersNothing?.(args)) return this.known<SourceResult[]>('list', []);
    return this.run({ op: 'list', uids, args }, deadline) as Promise<SourceResult[]>;
  }

  knowsNothingFor(args: CallArgs): boolean {
    return this.answersNothing?.(args) ?? false;
  }

  status(): SourceStatus {
    const { uuid, name, backend } = this.config;
    return { uuid, name, backend, state: this.state, restarts: this.restarts, last_error: this.lastError };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.dropAnswers();
    this.clearTimers();
    const pool = this.pool;
    this.pool = null;
    if (!pool) return;
    const unloads = [...this.links.values()].map((link) => link.call({ op: 'unload' }, Date.now() + 1000));
    await Promise.race([Promise.all(unloads), delay(1000)]);
    this.failLinks('source closed');
    await pool.destroy().catch(() => {});
  }

  private start(): void {
    if (this.closed) return;
    this.state = 'starting';
    const { pool_size, heap_mb, stall_timeout } = this.settings;
    const boot: WorkerBoot = {
      backend: this.config.backend,
      modulePath: this.modulePath,
      source: this.workerConfig,
      mainConfig: this.mainConfig,
      heartbeatMs: Math.max(50, Math.min(500, (stall_timeout * 1000) / 4)),
      sharedAnswers: this.settings.shared_answers !== false,
    };
    const pool = new Piscina({
      filename: workerFile,
      minThreads: pool_size,
      maxThreads: pool_size,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      // Keep the worker's event loop running between calls: heartbeats, timers and sockets need it.
      atomics: 'disabled',
      env: workerEnv(),
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: heap_mb, maxYoungGenerationSizeMb: Math.max(4, Math.min(32, heap_mb / 8)) },
      workerData: boot,
    });
    pool.on('message', (message: unknown) => isWorkerEvent(message) && this.onWorkerEvent(pool, message));
    pool.on('error', (error: Error) => this.log.warn({ err: error }, 'sandbox pool error'));
    this.pool = pool;
    this.watchdog = setInterval(() => this.checkHeartbeats(), boot.heartbeatMs).unref();
  }

  private onWorkerEvent(pool: Piscina, event: WorkerEvent): void {
    if (pool !== this.pool) return;
    if (event.dird === 'answers') {
      const answers = event.snapshot === null ? null : AnswerReader.open(event.snapshot);
      if (event.snapshot !== null && answers === null) this.log.warn('published answers are malformed: ignored, calls go to the worker');
      if (event.user === undefined) this.answers = answers;
      else if (typeof event.user === 'string') this.keepUserAnswers(event.user, answers);
      return;
    }
    if (event.dird === 'beat') {
      const link = this.links.get(event.threadId);
      if (link) link.lastBeat = Date.now();
      return;
    }
    if (event.dird === 'loaded') {
      if (event.error === null) this.state = 'ok';
      else this.onCrash(pool, `load failed: ${event.error}`);
      return;
    }
    comlink.expose(this.capabilities, nodeEndpoint(event.capabilities as any));
    event.capabilities.unref();
    const worker = pool.threads.find((candidate) => candidate.threadId === event.threadId);
    if (!worker) return;
    const link = new WorkerLink(worker, event.calls);
    this.links.set(event.threadId, link);
    worker.on('error', (error: any) => {
      this.lastError = error?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'worker ran out of memory' : String(error?.message ?? error);
    });
    worker.once('exit', (code) => {
      this.links.delete(event.threadId);
      const reason = this.lastError ?? `worker exited with code ${code}`;
      link.failAll(reason);
      if (pool === this.pool) this.onCrash(pool, reason);
    });
    const waiters = this.linkWaiters;
    this.linkWaiters = [];
    waiters.forEach((wake) => wake());
  }

  /** A worker whose event loop stopped beating (a busy loop) is terminated; its exit counts as a crash. */
  private checkHeartbeats(): void {
    const stalledSince = Date.now() - this.settings.stall_timeout * 1000;
    for (const [threadId, link] of this.links) {
      if (link.lastBeat >= stalledSince) continue;
      this.links.delete(threadId);
      this.lastError = `worker blocked for more than ${this.settings.stall_timeout} s; terminated`;
      this.log.warn({ threadId }, this.lastError);
      link.failAll(this.lastError);
      void link.worker.terminate();
    }
  }

  private onCrash(pool: Piscina, reason: string): void {
    if (pool !== this.pool || this.closed) return;
    this.pool = null;
    this.dropAnswers();
    this.clearTimers();
    this.failLinks(reason);
    void pool.destroy().catch(() => {});
    this.restarts += 1;
    this.meter.restarts += 1;
    this.lastError = reason;
    const now = Date.now();
    this.crashTimes = [...this.crashTimes.filter((t) => t > now - this.settings.crash_window * 1000), now];
    let wait: number;
    if (this.crashTimes.length >= this.settings.crash_limit) {
      this.state = 'failed';
      this.crashTimes = [];
      wait = this.settings.failed_retry;
      this.log.error({ reason, retry_in_s: wait }, 'source failed: crash loop; will retry');
    } else {
      this.state = 'backoff';
      wait = Math.min(this.settings.restart_backoff_initial * 2 ** this.consecutiveCrashes, this.settings.restart_backoff_max);
      this.consecutiveCrashes += 1;
      this.log.warn({ reason, restart_in_s: wait }, 'source sandbox crashed; restarting');
    }
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start();
    }, wait * 1000).unref();
  }

  private run(call: SourceCall, deadline: number): Promise<unknown> {
    const pool = this.pool;
    if (!pool) return this.refuse(call, 'unavailable', this.state === 'failed' ? 'failed, retrying later' : 'restarting');
    const until = Math.min(deadline, Date.now() + this.settings.call_timeout * 1000);
    const link = this.leastBusyLink();
    if (link) return this.send(pool, link, call, until);
    return this.waitForLink(until).then((ready) => {
      if (!ready) return this.refuse(call, 'timeout', 'sandbox not ready before the deadline');
      return this.send(pool, ready, call, until);
    });
  }

  private send(pool: Piscina, link: WorkerLink, call: SourceCall, until: number): Promise<unknown> {
    if (link.inFlight >= this.settings.max_in_flight) return this.refuse(call, 'unavailable', 'overloaded');
    const started = performance.now();
    return link.call(call, until).then((reply) => {
      const seconds = (performance.now() - started) / 1000;
      if (reply !== 'timeout' && reply.ok) {
        this.consecutiveCrashes = 0;
        this.meter.answered(call.op, seconds);
        return reply.value;
      }
      const error = this.callError(pool, reply);
      this.meter.failed(call.op, error.kind, seconds);
      throw error;
    });
  }

  private callError(pool: Piscina, reply: Exclude<LinkReply, { ok: true }>): SourceCallError {
    if (reply === 'timeout') return new SourceCallError(this.config.name, 'timeout', 'no answer before the deadline');
    if (reply.phase === 'crash') return new SourceCallError(this.config.name, 'crashed', reply.error);
    if (reply.phase === 'load') {
      this.onCrash(pool, `load failed: ${reply.error}`);
      return new SourceCallError(this.config.name, 'unavailable', `load failed: ${reply.error}`);
    }
    return new SourceCallError(this.config.name, 'backend', reply.error);
  }

  /** The answers that hold for this call: the source's, else those of the call's user, if published. */
  private answersFor(args: CallArgs): AnswerReader | null | undefined {
    if (this.answers || this.userAnswers.size === 0) return this.answers;
    const user = args.xivo_user_uuid ?? args.user_uuid;
    return user ? this.userAnswers.get(user) : null;
  }

  private keepUserAnswers(user: string, answers: AnswerReader | null): void {
    this.userAnswers.delete(user);
    if (answers === null) return;
    this.userAnswers.set(user, answers);
    // A worker holds its users' contacts within bounds; the host holds as many users at most, whatever it sends.
    if (this.userAnswers.size > MAX_USERS_WITH_ANSWERS) this.userAnswers.delete(this.userAnswers.keys().next().value!);
  }

  private dropAnswers(): void {
    this.answers = null;
    this.userAnswers.clear();
  }

  /** An answer read from the published answers: counted like the worker's. */
  private published<T>(op: 'firstMatch' | 'matchAll', answer: T, started: number): Promise<T> {
    this.meter.answered(op, (performance.now() - started) / 1000);
    return Promise.resolve(answer);
  }

  /** The answer a grant's check knows without asking (nothing): counted like the worker's. */
  private known<T>(op: SourceCall['op'], nothing: T): Promise<T> {
    return Promise.resolve(this.knownNow(op, nothing));
  }
  private knownNow<T>(op: SourceCall['op'], nothing: T): T {
    this.meter.answered(op, 0);
    return nothing;
  }

  /** A call refused before reaching a worker: counted, with no latency to observe. */
  private refuse(call: SourceCall, kind: SourceCallError['kind'], why: string): Promise<never> {
    this.meter.failed(call.op, kind, null);
    return Promise.reject(new SourceCallError(this.config.name, kind, why));
  }

  private leastBusyLink(): WorkerLink | null {
    let best: WorkerLink | null = null;
    for (const link of this.links.values()) if (!best || link.inFlight < best.inFlight) best = link;
    return best;
  }

  /** A call made while the pool is starting waits for its first worker, never past its deadline. */
  private waitForLink(until: number): Promise<WorkerLink | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), Math.max(0, until - Date.now()));
      this.linkWaiters.push(() => {
        clearTimeout(timer);
        resolve(this.leastBusyLink());
      });
    });
  }

  private failLinks(reason: string): void {
    for (const link of this.links.values()) link.failAll(reason);
    this.links.clear();
  }

  private clearTimers(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.restartTimer = this.watchdog = null;
  }
}

type SourceCall = Exclude<SandboxCall, { op: 'unload' }>;

function delay(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
