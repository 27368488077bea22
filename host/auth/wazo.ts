// A wazo-auth client (spec §1.1, §1.2, §6) over Node's global fetch, with short positive caches and a
// service token whose first tenant becomes the master tenant.
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import YAML from 'yaml';
import type { TokenInfo } from '../http/conventions.js';
import { ALLOWED, AuthUnreachableError, MISSING_PERMISSION, NOT_FOUND, unauthorized, unauthorizedTenant } from './errors.js';
import type { CheckResult } from './errors.js';
import type { AuthProvider, AuthStatus } from './provider.js';
import { TtlCache } from './ttl-cache.js';

const SERVICE_TOKEN_EXPIRATION = 21_600;
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];

/** Knobs for tests; production uses the defaults of spec §6. */
export interface WazoAuthOptions {
  retryDelaysMs?: number[];
  /** Seconds asked for the service token; renewal at 0.8 of it. */
  tokenExpiration?: number;
}

interface Credentials {
  username: string;
  password: string;
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const cause = (error as { cause?: unknown })?.cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export class WazoAuthProvider implements AuthProvider {
  readonly host: string;
  readonly port: number;
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly checks: TtlCache<true>;
  private readonly infos: TtlCache<TokenInfo>;
  private readonly tenantLists: TtlCache<string[]>;
  private readonly userTenants: TtlCache<string>;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly retryDelaysMs: number[];
  private readonly tokenExpiration: number;
  private master: string | null;
  private serviceToken: string | null = null;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly config: Record<string, any>, private readonly log: Logger, options: WazoAuthOptions = {}) {
    const auth = config.auth ?? {};
    this.host = auth.host ?? 'localhost';
    this.port = Number(auth.port ?? 9497);
    const host = this.host.includes(':') && !this.host.startsWith('[') ? `[${this.host}]` : this.host;
    this.baseUrl = `${auth.https ? 'https' : 'http'}://${host}:${this.port}${auth.prefix ?? ''}/0.1`;
    this.timeoutMs = Number(auth.timeout ?? 10) * 1000;
    const ttlMs = Number(auth.cache_ttl ?? 5) * 1000;
    const size = Number(auth.cache_size ?? 10_000);
    this.checks = new TtlCache(ttlMs, size);
    this.infos = new TtlCache(ttlMs, size);
    this.tenantLists = new TtlCache(ttlMs, size);
    this.userTenants = new TtlCache(ttlMs, size);
    this.retryDelaysMs = options.retryDelaysMs ?? RETRY_DELAYS_MS;
    this.tokenExpiration = options.tokenExpiration ?? SERVICE_TOKEN_EXPIRATION;
    this.master = auth.master_tenant_uuid ?? null;
    this.schedule(0);
  }

  knownCheck(token: string, acl: string, tenant?: string): CheckResult | undefined {
    if (!token) return NOT_FOUND;
    return this.checks.get(`${token}\n${acl}\n${tenant ?? ''}`) ? ALLOWED : undefined;
  }

  async check(token: string, acl: string, tenant?: string): Promise<CheckResult> {
    const known = this.knownCheck(token, acl, tenant);
    if (known) return known;
    const key = `${token}\n${acl}\n${tenant ?? ''}`;
    return this.once(key, async () => {
      const result = await this.headToken(token, acl, tenant);
      if (result.ok) this.checks.set(key, true);
      return result;
    });
  }

  async tenantAllowed(token: string, tenant: string): Promise<boolean> {
    if (!token) return false;
    const key = `${token}\n\n${tenant}`;
    if (this.checks.get(key)) return true;
    return this.once(key, async () => {
      const result = await this.headToken(token, undefined, tenant);
      if (result.ok) this.checks.set(key, true);
      return result.ok;
    });
  }

  knownTokenInfo(token: string): Readonly<TokenInfo> | undefined {
    return token ? this.infos.get(token) : undefined;
  }

  async tokenInfo(token: string): Promise<TokenInfo> {
    if (!token) throw unauthorized({ reason: 'not_found_or_expired' });
    const cached = this.infos.get(token);
    if (cached) return { ...cached };
    const info = await this.once(`info\n${token}`, async () => {
      const response = await this.request('GET', `/token/${encodeURIComponent(token)}`, this.userHeaders(token));
      if (response.status === 404) {
        await response.body?.cancel();
        throw unauthorized({ reason: 'not_found_or_expired' });
      }
      const body = await this.json(response, 200);
      const data = body?.data ?? {};
      const info: TokenInfo = {
        token,
        user_uuid: data.metadata?.uuid ?? null,
        tenant_uuid: data.metadata?.tenant_uuid ?? null,
        session_uuid: data.session_uuid ?? null,
      };
      this.infos.set(token, info);
      return info;
    });
    return { ...info };
  }

  async visibleTenants(token: string, tenant: string): Promise<string[]> {
    const key = `${token}\n${tenant}`;
    const cached = this.tenantLists.get(key);
    if (cached) return [...cached];
    const tenants = await this.once(`tenants\n${key}`, async () => {
      const response = await this.request('GET', '/tenants', { ...this.userHeaders(token), 'Wazo-Tenant': tenant });
      if (response.status === 401) {
        await response.body?.cancel();
        // The token may not list tenants: it still sees its own tenant.
        if ((await this.tokenInfo(token)).tenant_uuid === tenant) return [tenant];
        throw unauthorizedTenant(tenant);
      }
      const body = await this.json(response, 200);
      const uuids: string[] = (body?.items ?? []).map((item: { uuid: string }) => item.uuid);
      this.tenantLists.set(key, uuids);
      return uuids;
    });
    return [...tenants];
  }

  async tenantUuidByName(name: string, requestTenant: string): Promise<string | null> {
    if (!this.serviceToken) throw new AuthUnreachableError(this.host, this.port, 'no service token yet');
    const query = new URLSearchParams({ name }).toString();
    const headers = { ...this.userHeaders(this.serviceToken), 'Wazo-Tenant': requestTenant };
    const body = await this.json(await this.request('GET', `/tenants?${query}`, headers), 200);
    return body?.items?.[0]?.uuid ?? null;
  }

  async userTenant(uuid: string): Promise<string | null> {
    const cached = this.userTenants.get(uuid);
    if (cached !== undefined) return cached;
    if (!this.serviceToken) throw new AuthUnreachableError(this.host, this.port, 'no service token yet');
    const token = this.serviceToken;
    return this.once(`user\n${uuid}`, async () => {
      const response = await this.request('GET', `/users/${encodeURIComponent(uuid)}`, this.userHeaders(token));
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      const tenant: string | null = (await this.json(response, 200))?.tenant_uuid ?? null;
      if (tenant) this.userTenants.set(uuid, tenant);
      return tenant;
    });
  }

  masterTenant(): string | null {
    return this.master;
  }

  status(): AuthStatus {
    return { master_tenant: { status: this.master ? 'ok' : 'fail' } };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.checks.clear();
    this.infos.clear();
    this.tenantLists.clear();
    this.userTenants.clear();
  }

  /** Concurrent identical calls share one request. */
  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    const pending = this.inflight.get(key);
    if (pending) return pending as Promise<T>;
    const promise = run().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  private userHeaders(token: string): Record<string, string> {
    return { 'X-Auth-Token': token, Accept: 'application/json' };
  }

  private async headToken(token: string, scope: string | undefined, tenant: string | undefined): Promise<CheckResult> {
    const params = new URLSearchParams();
    if (scope) params.set('scope', scope);
    if (tenant) params.set('tenant', tenant);
    const query = params.toString();
    const path = `/token/${encodeURIComponent(token)}${query ? `?${query}` : ''}`;
    const response = await this.request('HEAD', path, this.userHeaders(token));
    switch (response.status) {
      case 204: return ALLOWED;
      case 404: return NOT_FOUND;
      case 403: return MISSING_PERMISSION;
      default: throw this.unexpected(response.status);
    }
  }

  private async request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Response> {
    try {
      return await fetch(this.baseUrl + path, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new AuthUnreachableError(this.host, this.port, describe(error));
    }
  }

  private async json(response: Response, ...expected: number[]): Promise<any> {
    if (!expected.includes(response.status)) {
      await response.body?.cancel();
      throw this.unexpected(response.status);
    }
    try {
      return await response.json();
    } catch (error) {
      throw new AuthUnreachableError(this.host, this.port, `invalid response body: ${describe(error)}`);
    }
  }

  private unexpected(status: number): AuthUnreachableError {
    return new AuthUnreachableError(this.host, this.port, `unexpected status ${status} from wazo-auth`);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.renewServiceToken(), delayMs);
    this.timer.unref();
  }

  private async renewServiceToken(): Promise<void> {
    try {
      const credentials = await this.credentials();
      if (!credentials) {
        if (!this.master) this.log.warn('auth: no service credentials (auth.username/password or auth.key_file); master tenant unknown');
        return;
      }
      const { token, tenant } = await this.createServiceToken(credentials);
      if (this.closed) return;
      this.serviceToken = token;
      this.failures = 0;
      if (!this.master && tenant) {
        this.master = tenant;
        this.log.info({ master_tenant_uuid: tenant }, 'auth: master tenant initiated');
      }
      this.schedule(0.8 * this.tokenExpiration * 1000);
    } catch (error) {
      const delay = this.retryDelaysMs[Math.min(this.failures, this.retryDelaysMs.length - 1)];
      this.failures++;
      this.log.warn({ error: describe(error), retry_in_ms: delay }, 'auth: cannot create the service token');
      this.schedule(delay);
    }
  }

  private async credentials(): Promise<Credentials | null> {
    const auth = this.config.auth ?? {};
    if (auth.username && auth.password) return { username: String(auth.username), password: String(auth.password) };
    if (!auth.key_file) return null;
    const keys = YAML.parse(await readFile(auth.key_file, 'utf8')) ?? {};
    if (!keys.service_id || !keys.service_key) throw new Error(`key file ${auth.key_file} lacks service_id/service_key`);
    return { username: String(keys.service_id), password: String(keys.service_key) };
  }

  private async createServiceToken(credentials: Credentials): Promise<{ token: string; tenant: string | null }> {
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    const response = await this.request('POST', '/token', {
      Authorization: `Basic ${basic}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': 'Wazo Python auth client',
    }, JSON.stringify({ expiration: this.tokenExpiration }));
    const body = await this.json(response, 200, 201);
    const token = body?.data?.token;
    if (typeof token !== 'string') throw new Error('service token response lacks data.token');
    return { token, tenant: body.data.metadata?.tenant_uuid ?? null };
  }
}
