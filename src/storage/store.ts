// The storage contract services use. One implementation (Kysely) serves SQLite and PostgreSQL.
import type { Display, DisplayColumn, ListParams, ListResult, Profile, ProfileService, SourceConfig } from '../contracts.js';
import type { FavoriteStore } from './favorites.js';
import type { PersonalStore } from './personal.js';

export interface DisplayInput {
  name: string;
  columns: DisplayColumn[];
}
export interface ProfileInput {
  name: string;
  display: { uuid: string } | null;
  services: Record<string, ProfileService>;
}
/** A source body as received: common fields plus back-end specific ones. */
export interface SourceInput {
  name: string;
  searched_columns: string[];
  first_matched_columns: string[];
  format_columns: Record<string, string>;
  [extra: string]: unknown;
}

/**
 * `tenants` arguments are the visible tenants of the request (spec §1.2); a resource outside them
 * is "not found". Writes create the tenant row when missing.
 * Errors: NotFoundError (404), ConflictError (409, duplicate name in tenant),
 * InvalidReferenceError (400, profile pointing at a display/source of another tenant).
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  tenants: {
    ensure(uuid: string): Promise<void>;
    /** Stores the tenant's country (bus `localization_edited`), creating the tenant row when missing. */
    setCountry(uuid: string, country: string | null): Promise<void>;
    /** The tenant's country, or null (unknown tenant or none set). */
    country(uuid: string): Promise<string | null>;
  };
  displays: {
    list(tenants: string[], params: ListParams): Promise<ListResult<Display>>;
    get(tenants: string[], uuid: string): Promise<Display>;
    create(tenant: string, input: DisplayInput): Promise<Display>;
    update(tenants: string[], uuid: string, input: DisplayInput): Promise<void>;
    delete(tenants: string[], uuid: string): Promise<void>;
  };
  profiles: {
    list(tenants: string[], params: ListParams): Promise<ListResult<Profile>>;
    get(tenants: string[], uuid: string): Promise<Profile>;
    /** The profile with that name in exactly this tenant, or null. */
    findByName(tenant: string, name: string): Promise<Profile | null>;
    create(tenant: string, input: ProfileInput): Promise<Profile>;
    update(tenants: string[], uuid: string, input: ProfileInput): Promise<void>;
    delete(tenants: string[], uuid: string): Promise<void>;
  };
  sources: {
    /** `backend` restricts to one back-end (the /backends/<b>/sources routes). order ∈ name, backend. */
    list(tenants: string[], params: ListParams, backend?: string): Promise<ListResult<SourceConfig>>;
    get(tenants: string[], uuid: string, backend?: string): Promise<SourceConfig>;
    /** Several sources by uuid, any tenant; unknown uuids are left out. Order follows `uuids`. */
    getMany(uuids: string[]): Promise<SourceConfig[]>;
    create(tenant: string, backend: string, input: SourceInput): Promise<SourceConfig>;
    update(tenants: string[], uuid: string, backend: string, input: SourceInput): Promise<SourceConfig>;
    delete(tenants: string[], uuid: string, backend?: string): Promise<void>;
  };
  /** Personal contacts, keyed by their owner (see personal.ts). */
  personal: PersonalStore;
  /** Favorites, keyed by their owner (see favorites.ts). */
  favorites: FavoriteStore;
  phonebooks: import('./phonebooks.js').PhonebookStore;
  /** Runs pending migrations (safe to call on every start, and from several instances at once). */
  migrate(): Promise<void>;
  /**
   * Runs `fn` while no other dird instance on this database runs one (a PostgreSQL advisory lock held
   * by one pooled connection; `fn` uses the pool as usual). SQLite: runs it directly.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
