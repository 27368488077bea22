// One source's wazo-auth service token (spec §4.5, §6): created on first use with the source's own
// credentials, renewed at 80 % of its lifetime, retried with backoff (1, 2, 4, 8, 16, then 32 s).
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import YAML from 'yaml';
import { requestJson, messageOf } from '../../../src/remote/http.js';
import { authBaseUrl, timeoutMs, verifyOption, type AuthSettings } from '../../../src/remote/wazo-services.js';

const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];

export interface ServiceToken {
  token: string;
  /** Tenant confd requests must name (`Wazo-Tenant`): set when the credentials come from a key file. */
  tenant: string | null;
  /** Epoch ms until which this token is the current one (the host renews it then): callers may keep it so long. */
  fresh_until: number;
}

export class TokenRenewer {
  private current: { token: string; expiresAt: number; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private retryAt = 0;
  private closed = false;

  constructor(
    private readonly auth: AuthSettings,
    private readonly tenant: string,
    private readonly expirationS: number,
    private readonly log: Logger,
  ) {}

  async get(): Promise<ServiceToken> {
    const tenant = this.auth.key_file ? this.tenant : null;
    if (this.current && this.current.expiresAt > Date.now()) return { token: this.current.token, tenant, fresh_until: this.current.renewAt };
    if (!this.pending && Date.now() < this.retryAt) throw new Error('wazo-auth refused or unreachable; retrying later');
    const token = await this.renew();
    return { token, tenant, fresh_until: this.current?.renewAt ?? 0 };
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Concurrent callers share one token request. */
  private renew(): Promise<string> {
    this.pending ??= this.create().finally(() => (this.pending = null));
    return this.pending;
  }

  private async create(): Promise<string> {
    try {
      const token = await this.request();
      this.failures = 0;
      const now = Date.now();
      this.current = { token, expiresAt: now + this.expirationS * 1000, renewAt: now + 0.8 * this.expirationS * 1000 };
      this.schedule(0.8 * this.expirationS * 1000);
      return token;
    } catch (error) {
      const delay = RETRY_DELAYS_MS[Math.min(this.failures++, RETRY_DELAYS_MS.length - 1)];
      this.retryAt = Date.now() + delay;
      this.log.warn({ error: messageOf(error), retry_in_ms: delay }, 'cannot create a service token for the source');
      // Keep a still-valid token renewing in the background; without one, the next call retries.
      if (this.current && this.current.expiresAt > Date.now()) this.schedule(delay);
      throw error;
    }
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.renew().catch(() => {}), delayMs).unref();
  }

  private async request(): Promise<string> {
    const { username, password } = await this.credentials();
    const answer = await requestJson(`${authBaseUrl(this.auth)}/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, 'User-Agent': 'Wazo Python auth client' },
      body: JSON.stringify({ expiration: this.expirationS }),
      timeoutMs: timeoutMs(this.auth),
      verify: verifyOption(this.auth.verify_certificate),
    });
    const token = answer.body?.data?.token;
    if ((answer.status !== 200 && answer.status !== 201) || typeof token !== 'string') {
      throw new Error(`wazo-auth answered ${answer.status} to the token request`);
    }
    return token;
  }

  private async credentials(): Promise<{ username: string; password: string }> {
    if (this.auth.username) return { username: this.auth.username, password: this.auth.password ?? '' };
    if (!this.auth.key_file) throw new Error('the source has neither auth.username nor auth.key_file');
    const keys = YAML.parse(await readFile(this.auth.key_file, 'utf8')) ?? {};
    if (!keys.service_id || !keys.service_key) throw new Error(`key file ${this.auth.key_file} lacks service_id/service_key`);
    return { username: String(keys.service_id), password: String(keys.service_key) };
  }
}
