// Prometheus metrics of one dird: per-source calls, errors, timeouts, latency and worker restarts,
// result-cache hits, and per-route HTTP latency. Source calls and HTTP requests are the reverse lookup's
// hot path, so each costs plain number updates: counters read per-source tallies when scraped, and the
// latency histograms are TallyHistograms whose series the callers keep.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { SourceConfig } from '../src/contracts.js';
import { TallyHistogram, type HistogramSeries } from './tally-histogram.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() at the request's first hook (DirdMetrics.instrument). */
    receivedAt: number;
  }
}

export type SourceMethod = 'search' | 'firstMatch' | 'matchAll' | 'list';
const methods: SourceMethod[] = ['search', 'firstMatch', 'matchAll', 'list'];
/** How a call failed, as SourceCallError says (a timeout is counted apart, not as an error). */
export type SourceErrorKind = 'unavailable' | 'crashed' | 'backend';
const errorKinds: SourceErrorKind[] = ['unavailable', 'crashed', 'backend'];

type SourceLabels = { source: string; uuid: string; backend: string };
type Tally = Record<SourceMethod, number>;
const tally = (): Tally => ({ search: 0, firstMatch: 0, matchAll: 0, list: 0 });

/** One source's counts; SandboxedSource holds it and bumps plain numbers. */
export class SourceMeter {
  readonly calls = tally();
  readonly timeouts = tally();
  readonly errors: Record<SourceErrorKind, Tally> = { unavailable: tally(), crashed: tally(), backend: tally() };
  restarts = 0;
  private readonly durations: Record<SourceMethod, (seconds: number) => void>;

  constructor(readonly labels: SourceLabels, histogram: TallyHistogram | null) {
    const observe = (method: SourceMethod): ((seconds: number) => void) => {
      if (!histogram) return () => {};
      const series = histogram.series(labels.source, labels.uuid, labels.backend, method);
      return (seconds) => series.observe(seconds);
    };
    this.durations = { search: observe('search'), firstMatch: observe('firstMatch'), matchAll: observe('matchAll'), list: observe('list') };
  }

  answered(method: SourceMethod, seconds: number): void {
    this.calls[method] += 1;
    this.durations[method](seconds);
  }

  failed(method: SourceMethod, kind: SourceErrorKind | 'timeout', seconds: number | null): void {
    this.calls[method] += 1;
    if (kind === 'timeout') this.timeouts[method] += 1;
    else this.errors[kind][method] += 1;
    if (seconds !== null) this.durations[method](seconds);
  }
}

/** A meter that counts nowhere: for sources created without metrics (tools, tests of the registry). */
export const noMeter = new SourceMeter({ source: '', uuid: '', backend: '' }, null);

export class DirdMetrics {
  readonly registry = new Registry();
  private readonly meters = new Map<string, SourceMeter>();
  private readonly sourceDuration: TallyHistogram;
  private readonly cacheTallies = new Map<string, { labels: { source: string; uuid: string; kind: string }; hits: number; misses: number }>();
  private readonly httpDuration: TallyHistogram;

  constructor() {
    const registers = [this.registry];
    const meters = () => this.meters.values();
    const sourceLabels = ['source', 'uuid', 'backend'];
    new Counter({
      name: 'dird_source_calls_total', help: 'Calls made to a source sandbox, whatever their outcome',
      labelNames: [...sourceLabels, 'method'], registers,
      collect() {
        this.reset();
        for (const meter of meters()) for (const method of methods) {
          if (meter.calls[method] > 0) this.inc({ ...meter.labels, method }, meter.calls[method]);
        }
      },
    });
    new Counter({
      name: 'dird_source_call_errors_total', help: 'Source calls that failed (kind: unavailable, crashed, backend); timeouts are apart',
      labelNames: [...sourceLabels, 'method', 'kind'], registers,
      collect() {
        this.reset();
        for (const meter of meters()) for (const kind of errorKinds) for (const method of methods) {
          const count = meter.errors[kind][method];
          if (count > 0) this.inc({ ...meter.labels, method, kind }, count);
        }
      },
    });
    new Counter({
      name: 'dird_source_call_timeouts_total', help: 'Source calls abandoned at their deadline',
      labelNames: [...sourceLabels, 'method'], registers,
      collect() {
        this.reset();
        for (const meter of meters()) for (const method of methods) {
          if (meter.timeouts[method] > 0) this.inc({ ...meter.labels, method }, meter.timeouts[method]);
        }
      },
    });
    new Counter({
      name: 'dird_source_worker_restarts_total', help: 'Restarts of a source sandbox after a crash, a stall or a failed load',
      labelNames: sourceLabels, registers,
      collect() {
        this.reset();
        for (const meter of meters()) if (meter.restarts > 0) this.inc(meter.labels, meter.restarts);
      },
    });
    this.sourceDuration = new TallyHistogram({
      name: 'dird_source_call_duration_seconds', help: 'Time from sending a call to a source sandbox to its answer',
      labelNames: [...sourceLabels, 'method'], registers,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    // A cached GraphQL reverse looks up every number in every cached source: plain tallies, read when scraped.
    const cacheTallies = () => this.cacheTallies.values();
    new Counter({
      name: 'dird_cache_hits_total', help: 'Answers served from the result cache', labelNames: ['source', 'uuid', 'kind'], registers,
      collect() {
        this.reset();
        for (const tally of cacheTallies()) if (tally.hits > 0) this.inc(tally.labels, tally.hits);
      },
    });
    new Counter({
      name: 'dird_cache_misses_total', help: 'Result-cache look-ups that went to the source', labelNames: ['source', 'uuid', 'kind'], registers,
      collect() {
        this.reset();
        for (const tally of cacheTallies()) if (tally.misses > 0) this.inc(tally.labels, tally.misses);
      },
    });
    this.httpDuration = new TallyHistogram({
      name: 'dird_http_request_duration_seconds', help: 'HTTP request latency by route pattern',
      labelNames: ['route', 'method', 'status_code'], registers,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'dird_' });
  }

  /** The meter of a source; one per uuid, name and back-end, kept across sandbox restarts and edits. */
  sourceMeter(config: Pick<SourceConfig, 'uuid' | 'name' | 'backend'>): SourceMeter {
    const key = `${config.uuid}\n${config.name}\n${config.backend}`;
    let meter = this.meters.get(key);
    if (!meter) {
      const labels = { source: config.name, uuid: config.uuid, backend: config.backend };
      if (!this.isCurrent(config.uuid, config.name, config.backend)) return new SourceMeter(labels, null);
      meter = new SourceMeter(labels, this.sourceDuration);
      this.meters.set(key, meter);
    }
    return meter;
  }

  /**
   * The identity of sources that changed, as last read (null: deleted): a call that read a source's
   * settings before the change gets a meter that counts nowhere instead of bringing old series back.
   */
  private readonly identities = new LRUCache<string, { current: Pick<SourceConfig, 'name' | 'backend'> | null }>({ max: 10_000 });

  private isCurrent(uuid: string, name: string, backend?: string): boolean {
    const known = this.identities.get(uuid);
    if (known === undefined) return true;
    return known.current !== null && known.current.name === name && (backend === undefined || known.current.backend === backend);
  }

  /**
   * Drops the series of source `uuid` (every series when `current` is null: the source is gone; else
   * those under an old name or back-end), so deleted and renamed sources stop being scraped.
   */
  forgetSource(uuid: string, current: Pick<SourceConfig, 'name' | 'backend'> | null): void {
    this.identities.set(uuid, { current: current && { name: current.name, backend: current.backend } });
    const stale = (labels: Record<string, unknown>) => labels.uuid === uuid
      && (current === null || labels.source !== current.name || ('backend' in labels && labels.backend !== current.backend));
    for (const [key, meter] of this.meters) if (stale(meter.labels)) this.meters.delete(key);
    for (const [key, tally] of this.cacheTallies) if (stale(tally.labels)) this.cacheTallies.delete(key);
    this.sourceDuration.forget(stale);
  }

  /** For the result cache: `kind` says what was cached (e.g. 'reverse', 'lookup'). */
  cacheHit(source: Pick<SourceConfig, 'uuid' | 'name'>, kind: string): void {
    this.cacheTally(source, kind).hits += 1;
  }
  cacheMiss(source: Pick<SourceConfig, 'uuid' | 'name'>, kind: string): void {
    this.cacheTally(source, kind).misses += 1;
  }

  private cacheTally({ uuid, name }: Pick<SourceConfig, 'uuid' | 'name'>, kind: string) {
    const key = `${uuid}\n${name}\n${kind}`;
    let tally = this.cacheTallies.get(key);
    if (!tally) {
      tally = { labels: { source: name, uuid, kind }, hits: 0, misses: 0 };
      if (this.isCurrent(uuid, name)) this.cacheTallies.set(key, tally);
    }
    return tally;
  }

  /**
   * Times every request by its route pattern (never the raw URL: one series per route, not per value),
   * from its first hook to the moment its answer is handed to Node. Call before any route is added. A
   * hook at the end of the response (onResponse) would make fastify listen for the end of every
   * response, which costs more than a reverse lookup's own work; so the clock stops at onSend.
   * Requests for no route get fastify's 404, counted as route `unmatched`.
   */
  instrument(app: FastifyInstance): void {
    const histogram = this.httpDuration;
    app.decorateRequest('receivedAt', 0);
    app.addHook('onRequest', (request, _reply, done) => {
      request.receivedAt = performance.now();
      done();
    });
    const seconds = (request: FastifyRequest) => (performance.now() - request.receivedAt) / 1000;
    app.addHook('onRoute', (route) => {
      const url = route.url;
      // This route's series by method and status, made on first use (no string built per request).
      const byMethod = new Map<string, Map<number, HistogramSeries>>();
      const observe = (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
        const { method } = request;
        let byStatus = byMethod.get(method);
        if (!byStatus) byMethod.set(method, (byStatus = new Map()));
        let series = byStatus.get(reply.statusCode);
        if (!series) byStatus.set(reply.statusCode, (series = histogram.series(url, method, reply.statusCode)));
        series.observe(seconds(request));
        done(null, payload);
      };
      route.onSend = [...(route.onSend ? [route.onSend].flat() : []), observe] as typeof route.onSend;
    });
    app.setNotFoundHandler((request, reply) => {
      const { method, url } = request.raw;
      void reply.code(404).send({ message: `Route ${method}:${url} not found`, error: 'Not Found', statusCode: 404 });
      histogram.series('unmatched', request.method, 404).observe(seconds(request));
    });
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }
  get contentType(): string {
    return this.registry.contentType;
  }
}
