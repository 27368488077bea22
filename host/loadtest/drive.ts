// Runs the load with autocannon: a deterministic interleaving of reverse and lookup requests at a fixed rate.
import type { Socket } from 'node:net';
import autocannon from 'autocannon';
import type { Kind, LoadOptions } from './args.js';

export interface KindCounts {
  requests: number;
  /** Answers outside 2xx. */
  non2xx: number;
}

export interface Summary {
  durationSeconds: number;
  requests: number;
  throughput: number;
  /** Connection errors, timeouts, dropped requests and non-2xx answers. */
  errors: number;
  timeouts: number;
  /** Requests whose connection the server closed without answering them. */
  dropped: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  byKind: Record<Kind, KindCounts>;
  /** Whole milliseconds as autocannon records them (the mean excepted); null when nothing was answered. */
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number } | null;
}

export interface Progress {
  elapsedSeconds: number;
  requests: number;
  errors: number;
}

/** The request paths, in order: kinds spread evenly by weight, numbers and terms taken in turn. */
export function pathSequence(options: LoadOptions): () => { kind: Kind; path: string } {
  const base = options.url.pathname.replace(/\/+$/, '');
  const profile = encodeURIComponent(options.profile);
  const total = options.mix.reverse + options.mix.lookup;
  let sent = 0;
  let numbers = 0;
  let terms = 0;
  return () => {
    // Request n is a reverse when the running count of reverses due, floor(n * share), steps up.
    const isReverse = Math.floor(((sent + 1) * options.mix.reverse) / total) > Math.floor((sent * options.mix.reverse) / total);
    sent++;
    if (isReverse) {
      const exten = options.numbers[numbers++ % options.numbers.length];
      return { kind: 'reverse', path: `${base}/0.1/directories/reverse/${profile}/${options.user}?exten=${encodeURIComponent(exten)}` };
    }
    const term = options.terms[terms++ % options.terms.length];
    return { kind: 'lookup', path: `${base}/0.1/directories/lookup/${profile}?term=${encodeURIComponent(term)}` };
  };
}

export async function drive(options: LoadOptions, onProgress: (progress: Progress) => void): Promise<Summary> {
  const next = pathSequence(options);
  const byKind: Record<Kind, KindCounts> = { reverse: { requests: 0, non2xx: 0 }, lookup: { requests: 0, non2xx: 0 } };
  const clients: ClientInternals[] = [];
  let dropped = 0;
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url: options.url.origin,
    connections: options.connections,
    overallRate: options.rate,
    // With a rate, autocannon's coordinated-omission correction expects a request every ceil(1 / rate) = 1 ms and
    // records an answer of L ms as L, L-1, …, 1 ms: the percentiles would be about half the real ones.
    ignoreCoordinatedOmission: true,
    duration: options.duration,
    timeout: options.timeout,
    headers: { 'X-Auth-Token': options.token, Accept: 'application/json' },
    setupClient: (client) => {
      const internals = client as unknown as ClientInternals;
      clients.push(internals);
      forgetUnansweredOnClose(internals, (count) => {
        dropped += count;
      });
    },
    requests: [{
      setupRequest: (request, context) => {
        const { kind, path } = next();
        (context as { kind?: Kind }).kind = kind;
        return { ...request, method: 'GET', path };
      },
      onResponse: (status, _body, context) => {
        const counts = byKind[(context as { kind: Kind }).kind];
        counts.requests++;
        if (status < 200 || status > 299) counts.non2xx++;
      },
    }],
  }, (error, result) => (error ? fail(error) : finish(result)));
  const started = Date.now();
  let requests = 0;
  let errors = 0;
  let firstError: (Error & { code?: string }) | undefined;
  let gaveUp: string | undefined;
  instance.on('response', (_client, status) => {
    requests++;
    if (status < 200 || status > 299) errors++;
  });
  // Requests fail and nothing was ever answered: the server is unreachable; going on would only pile up errors.
  const giveUpIfUnreachable = () => {
    if (requests > 0 || !firstError || gaveUp !== undefined) return;
    gaveUp = firstError.code
      ? `cannot connect to ${options.url.origin} (${firstError.code})`
      : `no answer from ${options.url.origin} within ${options.timeout} s`;
    // Destroyed now: autocannon reconnects in a tight loop until its next sample otherwise.
    for (const client of clients) client.destroy();
    instance.stop();
  };
  instance.on('reqError', (error) => {
    errors++;
    firstError ??= error;
    // Refused or unresolvable: every connection has failed once, no need to wait for the next tick.
    if (requests === 0 && error.code && errors >= options.connections) giveUpIfUnreachable();
  });
  const report = () => onProgress({ elapsedSeconds: (Date.now() - started) / 1000, requests, errors: errors + dropped });
  const ticker = setInterval(() => {
    giveUpIfUnreachable();
    report();
  }, 1000);
  try {
    const result = await finished;
    if (gaveUp !== undefined) throw new Error(gaveUp);
    const statusCodes: Record<string, number> = {};
    for (const [code, count] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (count as { count: number }).count;
    const durationSeconds = (Date.now() - started) / 1000;
    const completed = byKind.reverse.requests + byKind.lookup.requests;
    return {
      durationSeconds,
      requests: completed,
      throughput: completed / durationSeconds,
      errors: result.errors + result.non2xx + dropped,
      timeouts: result.timeouts,
      dropped,
      non2xx: result.non2xx,
      statusCodes,
      byKind,
      latencyMs: completed === 0 ? null : {
        mean: result.latency.mean, p50: result.latency.p50, p90: result.latency.p90,
        p99: result.latency.p99, max: result.latency.max,
      },
    };
  } finally {
    clearInterval(ticker);
    report();
  }
}

/** The parts of an autocannon 8 client used below, which its types leave out. */
interface ClientInternals {
  conn: Socket;
  pipelinedRequests: { size(): number; clear(): void };
  _connect(): void;
  destroy(): void;
}

/**
 * When the server closes a connection, autocannon reconnects but keeps the requests left unanswered in its queue,
 * so each later answer would be matched to an older request's start time. Forget them instead, counted as dropped;
 * after a socket error (which autocannon counts itself) just forget them.
 */
function forgetUnansweredOnClose(client: ClientInternals, onDropped: (count: number) => void): void {
  const connect = client._connect;
  client._connect = function (this: ClientInternals) {
    connect.call(this);
    this.conn.prependListener('end', () => {
      onDropped(this.pipelinedRequests.size());
      this.pipelinedRequests.clear();
    });
    this.conn.prependListener('error', () => this.pipelinedRequests.clear());
  };
}
