// The printed report of a run.
import type { LoadOptions } from './args.js';
import type { Progress, Summary } from './drive.js';

export function progressLine(progress: Progress, options: LoadOptions): string {
  const elapsed = Math.min(progress.elapsedSeconds, options.duration);
  return `[${elapsed.toFixed(0)}s/${options.duration}s] ${progress.requests} requests, ${progress.errors} errors, ` +
    `${(progress.requests / Math.max(progress.elapsedSeconds, 0.001)).toFixed(1)} req/s`;
}

export function formatSummary(summary: Summary, options: LoadOptions): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const codes = Object.entries(summary.statusCodes).map(([code, count]) => `${code}: ${count}`).join(', ') || 'none';
  const { reverse, lookup } = summary.byKind;
  return [
    `dird load test: ${options.url.origin}, profile ${options.profile}, ${options.connections} connections, target ${options.rate} req/s`,
    `duration:     ${summary.durationSeconds.toFixed(1)} s`,
    `requests:     ${summary.requests} (reverse ${reverse.requests}, lookup ${lookup.requests})`,
    `throughput:   ${summary.throughput.toFixed(1)} req/s`,
    `errors:       ${summary.errors} (non-2xx ${summary.non2xx}: reverse ${reverse.non2xx}, lookup ${lookup.non2xx}; timeouts ${summary.timeouts})`,
    `status codes: ${codes}`,
    `latency:      p50 ${ms(summary.latencyMs.p50)}, p90 ${ms(summary.latencyMs.p90)}, p99 ${ms(summary.latencyMs.p99)}, ` +
      `max ${ms(summary.latencyMs.max)}, mean ${ms(summary.latencyMs.mean)}`,
  ].join('\n');
}
