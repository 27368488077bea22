// A wazo-confd client (users, conferences, infos) authenticated by a service token from the host.
import { requestJson, type Answer } from './http.js';
import { confdBaseUrl, timeoutMs, verifyOption, type ServiceSettings } from './wazo-services.js';

export interface ServiceToken {
  token: string;
  tenant: string | null;
  /** Epoch ms until which the host keeps this token: reused until then without asking the host again. */
  fresh_until?: number;
}

/** The confd answered something else than 200 (or could not be reached: RemoteUnreachable). */
export class ConfdError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`wazo-confd answered ${status}`);
    this.name = 'ConfdError';
  }
}

export class ConfdClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly verify: boolean | string;
  /** The last service token while it is fresh: a capability call per confd request is a needless round trip. */
  private kept: ServiceToken | null = null;

  constructor(readonly settings: Partial<ServiceSettings> | undefined, private readonly token: () => Promise<ServiceToken>) {
    this.baseUrl = confdBaseUrl(settings);
    this.timeoutMs = timeoutMs(settings);
    this.verify = verifyOption(settings?.verify_certificate);
  }

  users(params: Record<string, string>): Promise<{ items: any[]; total: number }> {
    return this.get('/users', params);
  }

  conferences(params: Record<string, string> = {}): Promise<{ items: any[]; total: number }> {
    return this.get('/conferences', params);
  }

  infos(): Promise<{ uuid: string }> {
    return this.get('/infos', {});
  }

  /** What a back-end rejects with when this confd fails: the server and the failure, never the token. */
  failure(error: unknown): Error {
    return new Error(`wazo-confd ${this.baseUrl}: ${(error as Error)?.message ?? error}`);
  }

  private async serviceToken(): Promise<ServiceToken> {
    if (this.kept && (this.kept.fresh_until ?? 0) > Date.now()) return this.kept;
    this.kept = await this.token();
    return this.kept;
  }

  private async get(path: string, params: Record<string, string>): Promise<any> {
    const { token, tenant } = await this.serviceToken();
    const query = new URLSearchParams(params).toString();
    const answer: Answer = await requestJson(`${this.baseUrl}${path}${query ? `?${query}` : ''}`, {
      headers: { 'X-Auth-Token': token, ...(tenant ? { 'Wazo-Tenant': tenant } : {}) },
      timeoutMs: this.timeoutMs,
      verify: this.verify,
    });
    if (answer.status === 401) this.kept = null;
    if (answer.status !== 200 || answer.body === null || typeof answer.body !== 'object') throw new ConfdError(answer.status, answer.body);
    return answer.body;
  }
}
