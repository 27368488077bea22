// The `favorites` service (spec §3.4): a user's favorite contacts, flagged in lookups and listed per
// profile through each source's list(), concurrently and within a deadline.
import type { Logger } from 'pino';
import type { CallArgs, ServiceLoadArgs, ServiceMap, ServicePlugin, SourceConfig, SourceRegistry, SourceResult } from '../../../src/contracts.js';
import type { FavoriteChecker } from '../../../src/display.js';
import { LegacyError } from '../../../src/errors.js';
import { DuplicateFavoriteError } from '../../../src/storage/favorites.js';
import type { Store } from '../../../src/storage/store.js';
import type { BusService } from '../bus/index.js';
import type { ResolvedProfile } from '../profile/index.js';

/** Contact ids by source name. */
type ByName = Map<string, Set<string>>;

export class FavoritesService {
  constructor(
    private readonly store: Store,
    private readonly sources: SourceRegistry,
    private readonly waitMs: number,
    private readonly log: Logger,
    /** Looked up at call time for the `bus` service (absent or disabled: nothing is published). */
    private readonly services: ServiceMap = {},
    private readonly xivoUuid: string | null = null,
  ) {}

  /**
   * The sources named `name` in the request tenant only (wazo-dird looks the name up across every
   * tenant, which lets a user favorite another tenant's source: a documented deviation).
   */
  private async sourcesNamed(tenant: string, name: string): Promise<SourceConfig[]> {
    const { items } = await this.store.sources.list([tenant], { filters: { name } });
    if (items.length === 0) throw new LegacyError(404, `No such source: ${name}`);
    return items;
  }

  async add(tenant: string, user: string, sourceName: string, contactId: string): Promise<void> {
    const [source] = await this.sourcesNamed(tenant, sourceName);
    try {
      await this.store.favorites.add(tenant, user, source.uuid, contactId);
    } catch (error) {
      if (error instanceof DuplicateFavoriteError) throw new LegacyError(409, 'Adding this favorite would create a duplicate');
      throw error;
    }
    this.announce('favorite_added', 'created', tenant, user, sourceName, contactId);
  }

  async remove(tenant: string, user: string, sourceName: string, contactId: string): Promise<void> {
    const sources = await this.sourcesNamed(tenant, sourceName);
    const removed = await this.store.favorites.remove(user, sources.map((source) => source.uuid), contactId);
    if (removed === 0) throw new LegacyError(404, `No such favorite: ('${sourceName}', '${contactId}')`);
    this.announce('favorite_deleted', 'deleted', tenant, user, sourceName, contactId);
  }

  /** favorite_added / favorite_deleted on the bus (spec §7), best-effort: the API answer never depends on it. */
  private announce(name: string, action: string, tenant: string, user: string, source: string, contactId: string): void {
    const bus = this.services.bus as BusService | undefined;
    bus?.publish({
      name,
      routingKey: `directory.${user}.favorite.${action}`,
      headers: { tenant_uuid: tenant, [`user_uuid:${user}`]: true },
      data: { xivo_uuid: this.xivoUuid, user_uuid: user, source, source_entry_id: contactId },
    });
  }

  /** The user's favorites on the profile's favorites sources, by source name. */
  async favoriteIds(profile: ResolvedProfile, user: string): Promise<ByName> {
    const names = new Set((profile.services.favorites?.sources ?? []).map((source) => source.name));
    const byName: ByName = new Map();
    if (names.size === 0) return byName;
    for (const favorite of await this.store.favorites.ofUser(user)) {
      if (!names.has(favorite.source_name)) continue;
      if (!byName.has(favorite.source_name)) byName.set(favorite.source_name, new Set());
      byName.get(favorite.source_name)!.add(favorite.contact_id);
    }
    return byName;
  }

  /** For the lookup views: which results are favorites of the user. */
  async favoriteChecker(profile: ResolvedProfile, user: string | null): Promise<FavoriteChecker | undefined> {
    const hasColumn = profile.display?.columns.some((column) => column.type === 'favorite') ?? false;
    if (!user || !hasColumn) return undefined;
    const byName = await this.favoriteIds(profile, user);
    return {
      isFavorite: (result: SourceResult) => {
        const id = result.relations.source_entry_id;
        return id !== null && (byName.get(result.source)?.has(id) ?? false);
      },
    };
  }

  /** The favorite contacts of the user, each source asked concurrently; a late or failing one gives nothing. */
  async list(profile: ResolvedProfile, user: string, args: CallArgs): Promise<SourceResult[]> {
    const service = profile.services.favorites;
    if (!service || service.sources.length === 0) {
      throw new LegacyError(404, `No such profile in favorite service configuration: ${profile.profile.name}`);
    }
    const byName = await this.favoriteIds(profile, user);
    const deadline = Date.now() + this.waitMs;
    const wanted = service.sources.filter((source) => byName.has(source.name));
    const answers = await Promise.allSettled(wanted.map((source) =>
      this.sources.get(source).list([...byName.get(source.name)!], { ...args, token_infos: { xivo_user_uuid: user } }, deadline)));
    const results: SourceResult[] = [];
    answers.forEach((answer, i) => {
      if (answer.status === 'fulfilled') results.push(...answer.value);
      else this.log.debug({ source: wanted[i].name, reason: String(answer.reason?.message ?? answer.reason) }, 'favorites source gave nothing');
    });
    return results;
  }

  /** Removes every favorite of a user (user deletion; the bus handler calls this). */
  deleteUser(user: string): Promise<void> {
    return this.store.favorites.deleteUser(user);
  }
}

export default class FavoritesServicePlugin implements ServicePlugin {
  load({ store, sources, config, log, services }: ServiceLoadArgs): FavoritesService {
    // wazo-dird waits for every source unless `lookup_timeout` is set; dird still bounds it by the sandbox call timeout.
    const seconds = Number(config.lookup_timeout) > 0 ? Number(config.lookup_timeout) : Number(config.sandbox?.call_timeout ?? 30);
    return new FavoritesService(store, sources, seconds * 1000, log, services, config.uuid ?? null);
  }
}
