// The `profile` service: CRUD of profiles (spec §2.4, §3.7) and the cached resolution of a profile
// name into its display and source configs, which every directory query does.
import type {
  ChangeFeed,
  Display,
  ListParams,
  ListResult,
  Profile,
  ServiceLoadArgs,
  ServicePlugin,
  SourceConfig,
} from '../../../src/contracts.js';
import { DirdError } from '../../../src/errors.js';
import type { ProfileInput, Store } from '../../../src/storage/store.js';
import { makeAjv, validateWith } from '../../../src/validation.js';
import { profileBodySchema } from './schema.js';

export interface ResolvedService {
  sources: SourceConfig[];
  options: Record<string, unknown>;
}
/** A profile with its references loaded. Shared by every caller: treat as read-only. */
export interface ResolvedProfile {
  profile: Profile;
  display: Display | null;
  services: Record<string, ResolvedService>;
}

const validateBody = makeAjv().compile(profileBodySchema);
/** Past this many cached profiles the cache starts over (names are bounded by existing profiles). */
const MAX_CACHED = 10_000;

export function parseProfileBody(body: unknown): ProfileInput {
  const input = validateWith<ProfileInput & { display?: { uuid: string } | null }>(validateBody, body);
  const services: ProfileInput['services'] = {};
  for (const [name, service] of Object.entries(input.services)) {
    services[name] = { sources: service.sources.map((s) => ({ uuid: s.uuid })), options: service.options };
  }
  return { name: input.name, display: input.display ? { uuid: input.display.uuid } : null, services };
}

export class ProfileService {
  private readonly cache = new Map<string, Promise<ResolvedProfile | null>>();
  /** The profiles of `cache` that have loaded, by tenant and name, for callers that need no promise. */
  private readonly loaded = new Map<string, Map<string, ResolvedProfile>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: Store, private readonly changes: ChangeFeed) {
    // Any change but phonebook contacts may alter a resolved profile (its display, its sources'
    // configs): start over.
    this.unsubscribe = changes.subscribe((kind) => (kind === 'source' || kind === 'display' || kind === 'profile' || kind === 'all') && this.forgetAll());
  }

  private forgetAll(): void {
    this.cache.clear();
    this.loaded.clear();
  }

  list(tenants: string[], params: ListParams): Promise<ListResult<Profile>> {
    return this.store.profiles.list(tenants, params);
  }

  get(tenants: string[], uuid: string): Promise<Profile> {
    return this.store.profiles.get(tenants, uuid);
  }

  create(tenant: string, body: unknown): Promise<Profile> {
    return this.store.profiles.create(tenant, parseProfileBody(body));
  }

  async update(tenants: string[], uuid: string, body: unknown): Promise<void> {
    await this.store.profiles.update(tenants, uuid, parseProfileBody(body));
    this.changes.publish('profile', uuid);
  }

  async delete(tenants: string[], uuid: string): Promise<void> {
    await this.store.profiles.delete(tenants, uuid);
    this.changes.publish('profile', uuid);
  }

  /** The profile named `name` in exactly `tenant`, with its display and sources; null when unknown. */
  resolve(tenant: string, name: string): Promise<ResolvedProfile | null> {
    const key = `${tenant}\u0000${name}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const loading = this.load(tenant, name);
    if (this.cache.size >= MAX_CACHED) this.forgetAll();
    this.cache.set(key, loading);
    // Unknown profiles are not cached (a create publishes nothing); failures are retried next time.
    const forget = () => {
      if (this.cache.get(key) === loading) this.cache.delete(key);
    };
    const keep = (resolved: ResolvedProfile) => {
      if (this.cache.get(key) !== loading) return;
      let names = this.loaded.get(tenant);
      if (!names) this.loaded.set(tenant, (names = new Map()));
      names.set(name, resolved);
    };
    loading.then((resolved) => (resolved ? keep(resolved) : forget()), forget);
    return loading;
  }

  /** What resolve() would give at once, when it has loaded that profile already; else undefined. */
  resolved(tenant: string, name: string): ResolvedProfile | undefined {
    return this.loaded.get(tenant)?.get(name);
  }

  private async load(tenant: string, name: string): Promise<ResolvedProfile | null> {
    const profile = await this.store.profiles.findByName(tenant, name);
    if (!profile) return null;
    const uuids = [...new Set(Object.values(profile.services).flatMap((s) => s.sources.map((ref) => ref.uuid)))];
    const [display, sources] = await Promise.all([this.loadDisplay(profile), this.store.sources.getMany(uuids)]);
    const byUuid = new Map(sources.map((source) => [source.uuid, source]));
    const services: Record<string, ResolvedService> = {};
    for (const [serviceName, service] of Object.entries(profile.services)) {
      services[serviceName] = {
        sources: service.sources.map((ref) => byUuid.get(ref.uuid)).filter((s): s is SourceConfig => s !== undefined),
        options: service.options ?? {},
      };
    }
    return { profile, display, services };
  }

  private async loadDisplay(profile: Profile): Promise<Display | null> {
    if (!profile.display) return null;
    try {
      return await this.store.displays.get([profile.tenant_uuid], profile.display.uuid);
    } catch (error) {
      if (error instanceof DirdError && error.status === 404) return null;
      throw error;
    }
  }

  close(): void {
    this.unsubscribe();
    this.forgetAll();
  }
}

export default class ProfileServicePlugin implements ServicePlugin {
  private service?: ProfileService;

  load(args: ServiceLoadArgs): ProfileService {
    this.service = new ProfileService(args.store, args.changes);
    return this.service;
  }

  unload(): void {
    this.service?.close();
  }
}
