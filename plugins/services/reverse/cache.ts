// Optional per-source cache of reverse answers (caller-ID at PBX scale): a known number answers at once
// from the cache; past `ttl` it still answers the stale value for up to `stale_ttl` more while a refresh
// runs in the background; misses are cached for `negative_ttl`; each source keeps at most `max_entries`
// (least recently used dropped first). Settings in seconds, see `cacheSettings`.
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { CallArgs, SourceConfig, SourceResult } from '../../../src/contracts.js';
import { MAX_CACHE_ENTRIES } from '../../../src/config/reverse-cache.js';

export interface CacheSettings {
  ttl: number;
  stale_ttl: number;
  negative_ttl: number;
  max_entries: number;
  /** Deadline of a background refresh. */
  refresh_timeout: number;
}
export type CacheOutcome = 'hit' | 'stale' | 'negative' | 'miss';
export type CacheOutcomeListener = (source: SourceConfig, outcome: CacheOutcome) => void;

const defaults: CacheSettings = { ttl: 300, stale_ttl: 3600, negative_ttl: 30, max_entries: 10_000, refresh_timeout: 10 };
/** Back-ends the main `reverse_cache.enabled` switch applies to: the ones answering over the network. */
const REMOTE_BACKENDS = new Set(['ldap', 'csv_ws', 'wazo', 'conference', 'google', 'office365']);
/** Back-ends whose answers depend on the user: cached per user, never shared between users. */
const PER_USER_BACKENDS = new Set(['personal', 'google', 'office365']);

/**
 * A source's cache settings, null when not cached: main `reverse_cache` (its `enabled` covers remote
 * back-ends), overridden by `reverse_cache.sources.<name or uuid>` and the source's own `reverse_cache`
 * field; either of those enables caching for the source unless it says `enabled: false`.
 */
export function cacheSettings(main: Record<string, any> | undefined, source: SourceConfig): CacheSettings | null {
  const { sources = {}, enabled, ...global } = main ?? {};
  const own = [sources[source.name], sources[source.uuid], source.reverse_cache].filter((o): o is Record<string, any> => !!o && typeof o === 'object');
  const merged: Record<string, any> = Object.assign({}, global, ...own);
  const on = own.length > 0 ? merged.enabled !== false : enabled === true && REMOTE_BACKENDS.has(source.backend);
  if (!on) return null;
  const number = (key: keyof CacheSettings) => (Number.isFinite(Number(merged[key])) && Number(merged[key]) >= 0 ? Number(merged[key]) : defaults[key]);
  return {
    ttl: number('ttl'),
    stale_ttl: number('stale_ttl'),
    negative_ttl: number('negative_ttl'),
    // A stored source field or a config not read by loadConfig may be past the bound: lru-cache allocates it all.
    max_entries: Math.min(MAX_CACHE_ENTRIES, Math.max(1, Math.floor(number('max_entries')))),
    refresh_timeout: number('refresh_timeout'),
  };
}

interface Entry {
  value: SourceResult | null;
  storedAt: number;
}

/** One source's entries, the least recently used dropped first when full. */
class SourceCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly refreshing = new Set<string>();

  constructor(readonly source: SourceConfig, readonly settings: CacheSettings, private readonly now: () => number) {
    this.entries = new LRUCache<string, Entry>({ max: settings.max_entries });
  }

  key(exten: string, args: CallArgs): string {
    // Profiles sharing a source may match numbers differently: their answers are kept apart. JSON keeps
    // the parts apart whatever characters they hold (a caller ID may hold any, NUL included).
    const m = args.number_matching;
    const matching = m ? [m.mode, m.region ?? null, m.suffix_digits] : 'exact';
    return JSON.stringify(PER_USER_BACKENDS.has(this.source.backend) ? [args.user_uuid ?? args.xivo_user_uuid ?? null, matching, exten] : [matching, exten]);
  }

  /** The cached answer and how fresh it is; 'miss' when there is none usable. */
  read(key: string): { outcome: CacheOutcome; value: SourceResult | null } {
    const entry = this.entries.get(key);
    if (!entry) return { outcome: 'miss', value: null };
    const age = (this.now() - entry.storedAt) / 1000;
    const { ttl, stale_ttl, negative_ttl } = this.settings;
    const outcome: CacheOutcome | null = entry.value === null
      ? (age < negative_ttl ? 'negative' : null)
      : age < ttl ? 'hit' : age < ttl + stale_ttl ? 'stale' : null;
    if (outcome === null) {
      this.entries.delete(key);
      return { outcome: 'miss', value: null };
    }
    return { outcome, value: entry.value };
  }

  store(key: string, value: SourceResult | null): void {
    this.entries.set(key, { value, storedAt: this.now() });
  }

  /** Runs `refresh` unless one is already running for these keys; it stores what it gets. */
  refresh(keys: string[], refresh: () => Promise<unknown>, log: Logger): void {
    const due = keys.filter((key) => !this.refreshing.has(key));
    if (due.length === 0) return;
    due.forEach((key) => this.refreshing.add(key));
    refresh()
      .catch((error) => log.debug({ source: this.source.name, reason: String(error?.message ?? error) }, 'reverse cache refresh failed'))
      .finally(() => due.forEach((key) => this.refreshing.delete(key)));
  }

  get size(): number {
    return this.entries.size;
  }
}

type FetchOne = (deadline: number) => Promise<SourceResult | null>;
type FetchMany = (extens: string[], deadline: number) => Promise<Record<string, SourceResult>>;

export class ReverseCache {
  private readonly bySource = new Map<string, SourceCache | null>();
  /** Told of every cached lookup's outcome, once per source and number (metrics hook). */
  onOutcome: CacheOutcomeListener | null = null;

  constructor(
    private readonly config: Record<string, any> | undefined,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The single place where cache outcomes are counted. */
  private count(source: SourceConfig, outcome: CacheOutcome): void {
    this.onOutcome?.(source, outcome);
  }

  /** Forgets a source's entries and settings (its config changed or it was deleted). */
  drop(uuid: string): void {
    this.bySource.delete(uuid);
  }

  /** Forgets every source's entries (anything may have changed). */
  dropAll(): void {
    this.bySource.clear();
  }

  /** How many entries a source holds (0 when not cached). */
  size(uuid: string): number {
    return this.bySource.get(uuid)?.size ?? 0;
  }

  /** Whether a source's answers go through this cache. */
  caches(source: SourceConfig): boolean {
    return this.cacheOf(source) !== null;
  }

  private cacheOf(source: SourceConfig): SourceCache | null {
    let cache = this.bySource.get(source.uuid);
    if (cache === undefined) {
      const settings = cacheSettings(this.config, source);
      this.bySource.set(source.uuid, (cache = settings && new SourceCache(source, settings, this.now)));
    }
    return cache;
  }

  firstMatch(source: SourceConfig, exten: string, args: CallArgs, deadline: number, fetch: FetchOne): Promise<SourceResult | null> {
    const cache = this.cacheOf(source);
    if (!cache) {
      // An uncached source's promise as is: an async wrapper would cost the hot path two more turns.
      try {
        return fetch(deadline);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.cachedFirstMatch(cache, source, exten, args, deadline, fetch);
  }

  private async cachedFirstMatch(cache: SourceCache, source: SourceConfig, exten: string, args: CallArgs, deadline: number, fetch: FetchOne): Promise<SourceResult | null> {
    const key = cache.key(exten, args);
    const { outcome, value } = cache.read(key);
    this.count(source, outcome);
    if (outcome === 'stale') {
      cache.refresh([key], async () => cache.store(key, await fetch(this.now() + cache.settings.refresh_timeout * 1000)), this.log);
    }
    if (outcome !== 'miss') return value;
    const fetched = await fetch(deadline);
    cache.store(key, fetched);
    return fetched;
  }

  async matchAll(source: SourceConfig, extens: string[], args: CallArgs, deadline: number, fetch: FetchMany): Promise<Record<string, SourceResult>> {
    const cache = this.cacheOf(source);
    if (!cache) return fetch(extens, deadline);
    const found: Record<string, SourceResult> = {};
    const stale: string[] = [];
    const missing: string[] = [];
    for (const exten of new Set(extens)) {
      const { outcome, value } = cache.read(cache.key(exten, args));
      this.count(source, outcome);
      if (value) found[exten] = value;
      if (outcome === 'stale') stale.push(exten);
      if (outcome === 'miss') missing.push(exten);
    }
    const fetchAndStore = async (wanted: string[], until: number) => {
      const matches = await fetch(wanted, until);
      for (const exten of wanted) cache.store(cache.key(exten, args), matches[exten] ?? null);
      return matches;
    };
    if (stale.length > 0) {
      const keys = stale.map((exten) => cache.key(exten, args));
      cache.refresh(keys, () => fetchAndStore(stale, this.now() + cache.settings.refresh_timeout * 1000), this.log);
    }
    if (missing.length === 0) return found;
    try {
      return { ...found, ...(await fetchAndStore(missing, deadline)) };
    } catch (error) {
      if (Object.keys(found).length === 0) throw error;
      return found;
    }
  }
}
