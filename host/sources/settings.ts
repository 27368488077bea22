// Per-source sandbox settings: `sandbox` defaults, overridden by `sandbox.sources.<source name or uuid>`.
import type { SourceConfig } from '../../src/contracts.js';

export interface SandboxSettings {
  pool_size: number;
  max_in_flight: number;
  heap_mb: number;
  stall_timeout: number;
  call_timeout: number;
  restart_backoff_initial: number;
  restart_backoff_max: number;
  crash_limit: number;
  crash_window: number;
  failed_retry: number;
  /** Whether back-ends holding their data may publish reverse answers that the host reads directly. */
  shared_answers: boolean;
}

export function sandboxSettings(sandbox: Record<string, any>, source: SourceConfig): SandboxSettings {
  const { sources = {}, ...defaults } = sandbox ?? {};
  return { ...defaults, ...(sources[source.name] ?? {}), ...(sources[source.uuid] ?? {}) } as SandboxSettings;
}

/** The environment a back-end worker sees: never the host's (which may hold secrets). */
export function workerEnv(): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: process.env.NODE_ENV ?? 'production' };
  for (const key of ['TZ', 'LANG', 'LC_ALL']) if (process.env[key]) env[key] = process.env[key]!;
  return env;
}
