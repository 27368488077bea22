// Drives HTTP load with autocannon and reduces it to the figures the bench prints.
import autocannon from 'autocannon';

export interface LoadFigures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

type Options = { headers?: Record<string, string>; paths?: string[]; seconds: number; connections: number };

/** A 2 s warm-up (JIT, caches) is run and thrown away before the measured run. */
export async function drive(url: string, options: Options): Promise<LoadFigures> {
  await run(url, { ...options, seconds: 2 });
  return run(url, options);
}

async function run(url: string, options: Options): Promise<LoadFigures> {
  let next = 0;
  const paths = options.paths;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    requests: paths
      ? [{ setupRequest: (request: any) => ({ ...request, path: paths[next++ % paths.length] }) }]
      : undefined,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** p50 / p99 of a list of milliseconds. */
export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}
