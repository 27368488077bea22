// The contracts every part of dird agrees on: plugin kinds, the result model, stored resources.
// Wire data (configs, JSON bodies) keeps wazo-dird's snake_case names; plugin methods are camelCase.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AnswerGuard } from './shared-answers.js';

export type Fields = Record<string, unknown>;

/** What a back-end gets with every call (wazo-dird's `args`). */
export interface CallArgs {
  token: string | null;
  user_uuid: string | null;
  xivo_user_uuid: string | null;
  tenant_uuid: string | null;
  token_infos?: { xivo_user_uuid: string | null };
  /**
   * How reverse calls (firstMatch, matchAll) compare numbers, from the profile's reverse options; absent
   * means exact. Back-ends that ignore it match exactly. See src/numbers.ts.
   */
  number_matching?: import('./numbers.js').NumberMatching;
}

/** A source is one configured instance of a back-end (a `dird_source` row). */
export interface SourceConfig {
  uuid: string;
  tenant_uuid: string;
  name: string;
  backend: string;
  searched_columns: string[];
  first_matched_columns: string[];
  format_columns: Record<string, string>;
  /** Back-end specific fields (stored in `extra_fields`). */
  [extra: string]: unknown;
}

/** Capabilities the host lends to a sandboxed back-end over its message channel (comlink). */
export interface HostCapabilities {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface BackendLoadArgs {
  config: SourceConfig;
  /** The main configuration with every secret removed. */
  main_config: Record<string, unknown>;
  /**
   * Host capabilities, each call an async message to the host: `log`, plus the capabilities services
   * granted to this back-end (see CapabilityGrants), e.g. `await host.personal.list(user)`.
   */
  host: AsyncCapabilities<HostCapabilities> & Record<string, any>;
  /** Present when the host reads published answers for this source (config `sandbox.shared_answers`). */
  answers?: AnswerPublisher;
}

/**
 * Lets a back-end that holds its data (csv, phonebook, personal) publish its reverse answers in shared
 * memory, so the host answers firstMatch and matchAll without a call into the worker
 * (src/shared-answers.ts). Only for back-ends whose answer depends on the number and the number
 * matching alone (`publish`), or on those and the calling user (`publishForUser`), and whose matchAll
 * equals firstMatch for each number. Publish again after every data change
 * (a new `rows` array) and whenever a NumberIndex table was built; until the first publish, and while
 * a number matching has no table yet, the host asks the worker.
 */
export interface AnswerPublisher {
  /**
   * `tables`: `exact` (stored value → entry), optionally `folded` (lower-cased value → entry, when
   * firstMatch ignores case but matchAll does not), and NumberIndex.tables(); every entry must be one of
   * `rows`. `validWhile`: the answers hold only while the Int32 at `index` (default 0) of `counter`
   * (shared memory the host bumps on writes, such as a phonebook's version) equals `value`.
   */
  publish(
    rows: readonly Fields[],
    tables: Iterable<readonly [string, ReadonlyMap<string, Fields>]>,
    validWhile?: AnswerGuard,
  ): void;
  /**
   * One user's answers, read by the host only for calls of that user (`args.xivo_user_uuid`, else
   * `args.user_uuid`); `rows` null withdraws them (say when the back-end stops holding the user). The
   * host keeps a bounded number of users' answers and asks the worker for the others.
   */
  publishForUser(
    user: string,
    rows: readonly Fields[] | null,
    tables?: Iterable<readonly [string, ReadonlyMap<string, Fields>]>,
    validWhile?: AnswerGuard,
  ): void;
}

/** The methods of one granted capability, called by the worker over its capabilities channel. */
export type Capability = Record<string, (...args: any[]) => unknown>;

/**
 * How a service lends host-side power (store reads, service tokens) to a back-end without giving the
 * back-end the secrets behind it. A service may grant only to back-ends declared by its own package,
 * so a third-party back-end never receives what a built-in service grants to a built-in back-end.
 */
export interface CapabilityGrants {
  /** `provide` is called once per sandbox start with the source the capability is for. */
  grant(name: string, backends: string[], provide: (source: SourceConfig) => Capability, options?: GrantOptions): void;
}
export interface GrantOptions {
  /**
   * Dotted paths of source fields only the capability needs (e.g. `auth.password`): the back-end's
   * worker gets the source without them.
   */
  conceal?: string[];
  /**
   * Asked in the host before each call of a source holding the capability: true when the back-end is
   * known to answer nothing to this caller without being asked (a user with no linked account, say),
   * so that no worker call is made. Synchronous and cheap; false when in doubt.
   */
  answersNothing?: (source: SourceConfig, args: CallArgs) => boolean;
}
export type AsyncCapabilities<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : never };

type MaybeAsync<T> = T | Promise<T>;

/** A back-end: the default export of a back-end module is a class implementing this. */
export interface Backend {
  load?(args: BackendLoadArgs): MaybeAsync<void>;
  unload?(): MaybeAsync<void>;
  search(term: string, args: CallArgs): MaybeAsync<Fields[]>;
  firstMatch(exten: string, args: CallArgs): MaybeAsync<Fields | null>;
  matchAll?(extens: string[], args: CallArgs): MaybeAsync<Record<string, Fields>>;
  list?(uids: string[], args: CallArgs): MaybeAsync<Fields[]>;
}
export type BackendClass = new () => Backend;

/** What a back-end module may export besides its class. */
export interface BackendModule {
  default: BackendClass;
  /** JSON schema (object) of the back-end's own source fields; the host serves CRUD with it. */
  configSchema?: Record<string, unknown>;
  /** Flags of the results this back-end produces (the personal back-end sets both). */
  resultFlags?: { is_personal?: boolean; is_deletable?: boolean };
  /** Relations a result carries (the wazo back-end fills user ids). */
  relations?(fields: Fields): Partial<Relations>;
}

export interface Relations {
  xivo_id: unknown;
  agent_id: unknown;
  user_id: unknown;
  user_uuid: unknown;
  endpoint_id: unknown;
  source_entry_id: string | null;
}

/** One formatted entry of a source (spec §3.3), as the sandbox returns it to the host. */
export interface SourceResult {
  fields: Fields;
  relations: Relations;
  source: string;
  backend: string;
  is_personal: boolean;
  is_deletable: boolean;
}

export interface DisplayColumn {
  field: string | null;
  title: string | null;
  type: string | null;
  default: string | null;
  number_display: string | null;
}
export interface Display {
  uuid: string;
  tenant_uuid: string;
  name: string;
  columns: DisplayColumn[];
}

export interface ProfileService {
  sources: { uuid: string }[];
  options: Record<string, unknown>;
}
export interface Profile {
  uuid: string;
  tenant_uuid: string;
  name: string;
  display: { uuid: string } | null;
  services: Record<string, ProfileService>;
}

export interface ListParams {
  order?: string;
  direction?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  /** Case-insensitive substring of the name. */
  search?: string;
  /** Exact-match filters on searchable columns (uuid, name, backend). */
  filters?: Record<string, string>;
}
export interface ListResult<T> {
  total: number;
  filtered: number;
  items: T[];
}

/** A source as services see it: a handle on its sandboxed back-end. Every call has a host deadline. */
export interface SourceHandle {
  readonly config: SourceConfig;
  search(term: string, args: CallArgs, deadline: number): Promise<SourceResult[]>;
  firstMatch(exten: string, args: CallArgs, deadline: number): Promise<SourceResult | null>;
  /** firstMatch's answer when the host already holds it (published answers), else undefined: call firstMatch. */
  firstMatchNow?(exten: string, args: CallArgs): SourceResult | null | undefined;
  matchAll(extens: string[], args: CallArgs, deadline: number): Promise<Record<string, SourceResult>>;
  list(uids: string[], args: CallArgs, deadline: number): Promise<SourceResult[]>;
  /** True when the source is known to answer nothing to this caller (a grant's `answersNothing`). */
  knowsNothingFor?(args: CallArgs): boolean;
}

export interface SourceRegistry {
  /** The handle of a source, created on first use; null when the source does not exist. */
  get(config: SourceConfig): SourceHandle;
  /** Drops a source's sandbox (its config changed or it was deleted). */
  invalidate(uuid: string): Promise<void>;
  status(): SourceStatus[];
}
export interface SourceStatus {
  uuid: string;
  name: string;
  backend: string;
  state: 'starting' | 'ok' | 'backoff' | 'failed';
  restarts: number;
  last_error: string | null;
}

export type ServiceMap = Record<string, any>;

/** A back-end as the host knows it, learnt from its module inside a sandbox (the host never imports it). */
export interface BackendInfo {
  name: string;
  /** JSON schema of its own source fields, or null: then any extra field is accepted and stored. */
  configSchema: Record<string, unknown> | null;
}
export interface BackendCatalog {
  /** Enabled and installed back-ends, by name. */
  list(): BackendInfo[];
  get(name: string): BackendInfo | undefined;
}

/**
 * Changes to stored resources, so caches (profiles, sources, phonebook indexes) drop stale entries.
 * `phonebook`: contacts of the phonebook `uuid` changed; `detail` lists their ids (null: any of them).
 * `all`: anything may have changed (uuid '*'), e.g. after the relay between instances missed messages.
 * On PostgreSQL a publish reaches every dird instance on the database (host/change-relay.ts).
 */
/** `personal`: a user's personal contacts (uuid = the user); `tenant`: a tenant's settings (its country). */
export type ChangeKind = 'source' | 'display' | 'profile' | 'phonebook' | 'personal' | 'tenant' | 'all';
export type ChangeListener = (kind: ChangeKind, uuid: string, detail: string[] | null) => void;
export interface ChangeFeed {
  /** Call after the write is committed: other instances re-read the database when told. */
  publish(kind: ChangeKind, uuid: string, detail?: string[] | null): void;
  subscribe(listener: ChangeListener): () => void;
}

export interface ServiceLoadArgs {
  config: Record<string, any>;
  sources: SourceRegistry;
  /** Every loaded service by name; look others up at call time, not at load. */
  services: ServiceMap;
  store: import('./storage/store.js').Store;
  backends: BackendCatalog;
  changes: ChangeFeed;
  /** Grants capabilities to this service's package's own back-ends. */
  grants: CapabilityGrants;
  log: Logger;
}
export interface ServicePlugin {
  load(args: ServiceLoadArgs): unknown;
  /** Called once every service and view is loaded (e.g. to start consuming events that use other services). */
  start?(): MaybeAsync<void>;
  unload?(): MaybeAsync<void>;
}
export interface ViewLoadArgs {
  config: Record<string, any>;
  services: ServiceMap;
  app: FastifyInstance;
  backends: BackendCatalog;
  log: Logger;
}
export interface ViewPlugin {
  load(args: ViewLoadArgs): MaybeAsync<void>;
  unload?(): MaybeAsync<void>;
}
export type PluginClass<T> = new () => T;
