// The sources services use, each behind its sandbox; created on first use, dropped when the source changes.
import type { Logger } from 'pino';
import type { ChangeFeed, SourceConfig, SourceHandle, SourceRegistry, SourceStatus } from '../../src/contracts.js';
import { redact } from '../../src/config/redact.js';
import type { DirdMetrics } from '../metrics.js';
import type { PluginEntry } from '../plugins/discovery.js';
import { SourceCallError } from './errors.js';
import { GrantTable } from './grants.js';
import { SandboxedSource } from './sandboxed-source.js';
import { sandboxSettings } from './settings.js';

export class SandboxRegistry implements SourceRegistry {
  private readonly sources = new Map<string, SandboxedSource>();
  private readonly publicConfig: Record<string, unknown>;
  /** Configs are shared read-only objects (the profile cache's): each is serialised once. */
  private readonly fingerprints = new WeakMap<SourceConfig, string>();

  constructor(
    private readonly backends: Map<string, PluginEntry>,
    private readonly config: Record<string, any>,
    private readonly log: Logger,
    changes: ChangeFeed,
    readonly grants = new GrantTable(),
    private readonly metrics: DirdMetrics | null = null,
  ) {
    this.publicConfig = redact(config);
    changes.subscribe((kind, uuid) => {
      if (kind === 'source') void this.invalidate(uuid);
      if (kind === 'all') void this.close();
    });
  }

  get(config: SourceConfig): SourceHandle {
    const running = this.sources.get(config.uuid);
    if (running) {
      if (running.config === config || this.fingerprint(running.config) === this.fingerprint(config)) return running;
      // A request that read the source before a change landed can restart its old sandbox after the
      // change dropped it; the next request, with the current config, replaces it.
      this.sources.delete(config.uuid);
      void running.close();
    }
    const entry = this.backends.get(config.backend);
    if (!entry) return new MissingBackend(config);
    const source = new SandboxedSource(
      config,
      entry.modulePath,
      sandboxSettings(this.config.sandbox, config),
      this.publicConfig,
      this.log.child({ source: config.name, backend: config.backend }),
      this.grants.capabilitiesFor(entry, config),
      this.grants.workerConfig(entry, config),
      this.metrics?.sourceMeter(config),
      this.grants.answersNothingFor(entry, config),
    );
    this.sources.set(config.uuid, source);
    return source;
  }

  private fingerprint(config: SourceConfig): string {
    let fingerprint = this.fingerprints.get(config);
    if (fingerprint === undefined) this.fingerprints.set(config, (fingerprint = canonicalJson(config)));
    return fingerprint;
  }

  async invalidate(uuid: string): Promise<void> {
    const source = this.sources.get(uuid);
    this.sources.delete(uuid);
    await source?.close();
  }

  status(): SourceStatus[] {
    return [...this.sources.values()].map((source) => source.status());
  }

  async close(): Promise<void> {
    const all = [...this.sources.values()];
    this.sources.clear();
    await Promise.all(all.map((source) => source.close()));
  }
}

/** JSON with object keys sorted: equal configs read twice from the database give equal strings. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
    : v));
}

/** A source whose back-end is not installed or not enabled: it answers nothing. */
class MissingBackend implements SourceHandle {
  constructor(readonly config: SourceConfig) {}
  private fail(): never {
    throw new SourceCallError(this.config.name, 'unavailable', `back-end "${this.config.backend}" is not available`);
  }
  search = async () => this.fail();
  firstMatch = async () => this.fail();
  matchAll = async () => this.fail();
  list = async () => this.fail();
}
