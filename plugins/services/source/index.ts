// The `source` service: CRUD of sources of any back-end (spec §2.5, §3.7). A back-end's
// `configSchema` validates and defaults its own fields; back-ends without one store any field.
import type { ValidateFunction } from 'ajv';
import type {
  BackendCatalog,
  BackendInfo,
  ChangeFeed,
  ListParams,
  ListResult,
  ServiceLoadArgs,
  ServicePlugin,
  SourceConfig,
} from '../../../src/contracts.js';
import type { DirdMetrics } from '../../../host/metrics.js';
import { DirdError } from '../../../src/errors.js';
import type { SourceInput, Store } from '../../../src/storage/store.js';
import { makeAjv, validateWith } from '../../../src/validation.js';
import { COMMON_FIELDS, READ_ONLY_FIELDS, backendFields, keepsUnknownFields, sourceBodySchema } from './schema.js';

export class UnknownBackendError extends DirdError {
  constructor(name: string) {
    super(404, 'unknown-backend', `No such backend: "${name}"`, { backend: name });
  }
}

export class SourceService {
  private readonly ajv = makeAjv();
  private readonly validators = new WeakMap<object, ValidateFunction>();
  private readonly commonValidator: ValidateFunction;

  constructor(private readonly store: Store, private readonly backends: BackendCatalog, private readonly changes: ChangeFeed) {
    this.commonValidator = this.ajv.compile(sourceBodySchema({ name: '', configSchema: null }));
  }

  /** Sources of every back-end (GET /sources). */
  list(tenants: string[], params: ListParams): Promise<ListResult<SourceConfig>> {
    return this.store.sources.list(tenants, params);
  }

  async listOf(backend: string, tenants: string[], params: ListParams): Promise<ListResult<SourceConfig>> {
    this.backend(backend);
    return this.store.sources.list(tenants, params, backend);
  }

  get(backend: string, tenants: string[], uuid: string): Promise<SourceConfig> {
    return this.store.sources.get(tenants, uuid, backend);
  }

  async create(backend: string, tenant: string, body: unknown): Promise<SourceConfig> {
    const input = this.parse(this.backend(backend), body);
    return this.store.sources.create(tenant, backend, input);
  }

  /** Full replacement: fields left out of `body` get their defaults back. */
  async update(backend: string, tenants: string[], uuid: string, body: unknown): Promise<SourceConfig> {
    const input = this.parse(this.backend(backend), body);
    const updated = await this.store.sources.update(tenants, uuid, backend, input);
    this.changes.publish('source', uuid);
    return updated;
  }

  async delete(backend: string, tenants: string[], uuid: string): Promise<void> {
    await this.store.sources.delete(tenants, uuid, backend);
    this.changes.publish('source', uuid);
  }

  /** Validates a body against the back-end's schema, applies defaults, keeps the fields it knows. */
  parse(backend: BackendInfo, body: unknown): SourceInput {
    const valid = validateWith<Record<string, unknown>>(this.validator(backend), body);
    const known = new Set<string>([...COMMON_FIELDS, ...backendFields(backend)]);
    const keepAll = keepsUnknownFields(backend);
    const input: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(valid)) {
      if ((READ_ONLY_FIELDS as readonly string[]).includes(key)) continue;
      if (keepAll || known.has(key)) input[key] = value;
    }
    return input as SourceInput;
  }

  private validator(backend: BackendInfo): ValidateFunction {
    if (!backend.configSchema) return this.commonValidator;
    let validate = this.validators.get(backend.configSchema);
    if (!validate) {
      validate = this.ajv.compile(sourceBodySchema(backend));
      this.validators.set(backend.configSchema, validate);
    }
    return validate;
  }

  private backend(name: string): BackendInfo {
    const backend = this.backends.get(name);
    if (!backend) throw new UnknownBackendError(name);
    return backend;
  }
}

export default class SourceServicePlugin implements ServicePlugin {
  private unsubscribe: (() => void) | null = null;

  load(args: ServiceLoadArgs): SourceService {
    const metrics = args.services.metrics as DirdMetrics | undefined;
    // A source changed here or on another instance: series of a deleted source, or of its old name,
    // are no longer scraped.
    if (metrics) {
      // One read at a time, in the order of the changes: the last read tells the source's current state.
      let reads = Promise.resolve();
      this.unsubscribe = args.changes.subscribe((kind, uuid) => {
        if (kind !== 'source' || !uuid) return;
        reads = reads.then(() => args.store.sources.getMany([uuid])).then(
          ([current]) => metrics.forgetSource(uuid, current ?? null),
          (error) => args.log.warn({ err: error, uuid }, 'cannot tell whether a changed source still exists; its metrics are kept'),
        );
      });
    }
    return new SourceService(args.store, args.backends, args.changes);
  }

  unload(): void {
    this.unsubscribe?.();
  }
}
