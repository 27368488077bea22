// The printed report of a run.
import type { LoadOptions } from './args.js';
import type { Progress, Summary } from './drive.js';

export function progressLine(progress: Progress, options: LoadOptions): string {
  const elapsed = Math.min(progress.elapsedSeconds, options.duration);
  return `[${elapsed.toFixed(0)}s/${options.duration}s] ${progress.requests} requests, ${progress.errors} errors, ` +
    `${(progress.requests / Math.max(progress.elapsedSeconds, 0.001)).toFixed(1)} req/s`;
}

export function formatSummary(summary: Summary, options: LoadOptions): string {
  const codes = Object.entries(summary.statusCodes).map(([code, count]) => `${code}: ${count}`).join(', ') || 'none';
  const { reverse, lookup } = summary.byKind;
  const latency = summary.latencyMs;
  return [
    `dird load test: ${options.url.origin}, profile ${options.profile}, ${options.connections} connections, target ${options.rate} req/s`,
    `duration:     ${summary.durationSeconds.toFixed(1)} s`,
    `requests:     ${summary.requests} (reverse ${reverse.requests}, lookup ${lookup.requests})`,
    `throughput:   ${summary.throughput.toFixed(1)} req/s`,
    `errors:       ${summary.errors} (non-2xx ${summary.non2xx}: reverse ${reverse.non2xx}, lookup ${lookup.non2xx}; ` +
      `timeouts ${summary.timeouts}; dropped ${summary.dropped})`,
    `status codes: ${codes}`,
    // autocannon records whole milliseconds; only the mean has a fraction.
    latency === null ? 'latency:      n/a (no answers)'
      : `latency:      p50 ${latency.p50} ms, p90 ${latency.p90} ms, p99 ${latency.p99} ms, max ${latency.max} ms, mean ${latency.mean.toFixed(1)} ms`,
  ].join('\n');
}
