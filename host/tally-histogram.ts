// A Prometheus histogram whose series are objects the caller keeps: an observation is a bucket search
// and three number updates. prom-client's Histogram validates and hashes the labels on every observe,
// which cost about half a microsecond per observation on the reverse lookup's hot path (one for the
// source call, one for the HTTP request). This one is scraped through the same prom-client Registry and
// hands it the same values, so the exposition text is the same.
import type { Registry } from 'prom-client';

type LabelValue = string | number;
type Labels = Record<string, LabelValue>;

export interface TallyHistogramConfig {
  name: string;
  help: string;
  labelNames: string[];
  buckets: number[];
  registers: Registry[];
}

/** One label set's observations. */
export class HistogramSeries {
  /** Observations per bucket, not cumulative; values past the last bound only count in `count`. */
  private readonly counts: number[];
  sum = 0;
  count = 0;
  /** Scraped once observed (as prom-client shows a label set from its first observation on). */
  private listed = false;

  constructor(private readonly histogram: TallyHistogram, readonly labels: Labels) {
    this.counts = histogram.bounds.map(() => 0);
  }

  observe(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new TypeError(`Value is not a valid number: ${seconds}`);
    const bounds = this.histogram.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]!) {
        this.counts[i]! += 1;
        break;
      }
    }
    this.sum += seconds;
    this.count += 1;
    if (!this.listed) {
      this.listed = true;
      this.histogram.list(this);
    }
  }

  /** Back to no observation, unlisted (Registry.resetMetrics). */
  clear(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.listed = false;
  }

  /** Cumulative bucket counts, in bound order. */
  cumulative(): number[] {
    let total = 0;
    return this.counts.map((count) => (total += count));
  }
}

export class TallyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly bounds: readonly number[];
  private readonly labelNames: string[];
  /** Series by label values, one Map level per label name. */
  private readonly tree = new Map<LabelValue, unknown>();
  private observed: HistogramSeries[] = [];

  constructor(config: TallyHistogramConfig) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    this.bounds = [...config.buckets];
    for (const registry of config.registers) registry.registerMetric(this as never);
  }

  /** The series of these label values, given in `labelNames` order; the same object for the same values. */
  series(...values: LabelValue[]): HistogramSeries {
    let level = this.tree;
    for (let i = 0; i < values.length - 1; i++) {
      let next = level.get(values[i]!) as Map<LabelValue, unknown> | undefined;
      if (!next) level.set(values[i]!, (next = new Map()));
      level = next;
    }
    const last = values[values.length - 1]!;
    let series = level.get(last) as HistogramSeries | undefined;
    if (!series) {
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i]!));
      level.set(last, (series = new HistogramSeries(this, labels)));
    }
    return series;
  }

  /** Called by a series at its first observation. */
  list(series: HistogramSeries): void {
    this.observed.push(series);
  }

  /** prom-client's Registry reads this for the text exposition (labels apart from the series' shared ones). */
  getForPromString() {
    const bucket = `${this.name}_bucket`;
    const values: Array<{ labels: Labels; sharedLabels: Labels; value: number; metricName: string; exemplar: null | undefined }> = [];
    for (const series of this.observed) {
      const cumulative = series.cumulative();
      this.bounds.forEach((le, i) => {
        values.push({ labels: { le }, sharedLabels: series.labels, value: cumulative[i]!, metricName: bucket, exemplar: null });
      });
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: series.labels, value: series.count, metricName: bucket, exemplar: null },
        { labels: {}, sharedLabels: series.labels, value: series.sum, metricName: `${this.name}_sum`, exemplar: undefined },
        { labels: {}, sharedLabels: series.labels, value: series.count, metricName: `${this.name}_count`, exemplar: undefined },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The JSON form (Registry.getMetricsAsJSON): each value's labels merged with its series' labels. */
  get() {
    const data = this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ labels, sharedLabels, ...value }) => ({ ...value, labels: { ...labels, ...sharedLabels } })),
    };
  }

  /** Drops the series whose labels `gone` says are gone (a deleted source's): they are no longer scraped. */
  forget(gone: (labels: Labels) => boolean): void {
    this.observed = this.observed.filter((series) => !gone(series.labels));
    const prune = (level: Map<LabelValue, unknown>) => {
      for (const [key, child] of level) {
        if (child instanceof HistogramSeries) {
          if (gone(child.labels)) level.delete(key);
        } else {
          prune(child as Map<LabelValue, unknown>);
          if ((child as Map<LabelValue, unknown>).size === 0) level.delete(key);
        }
      }
    };
    prune(this.tree);
  }

  /** Registry.resetMetrics: every series starts over (callers keep their series objects). */
  reset(): void {
    for (const series of this.observed) series.clear();
    this.observed = [];
  }
}
