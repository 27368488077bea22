// The `wazo_tokens` service: wazo-auth tokens for the built-in remote back-ends, obtained in the host so
// that no back-end worker ever holds the credentials behind them (the workers get sources without them). Back-ends get the `tokens` capability:
//   await host.tokens.service()                        -> { token, tenant } (wazo, conference)
//   await host.tokens.external(kind, user_uuid, token) -> access token or null (google, office365)
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { ServiceLoadArgs, ServicePlugin, SourceConfig } from '../../../src/contracts.js';
import { requestJson } from '../../../src/remote/http.js';
import { authBaseUrl, timeoutMs, verifyOption, type AuthSettings } from '../../../src/remote/wazo-services.js';
import { TokenRenewer, type ServiceToken } from './renewer.js';

const EXTERNAL_KINDS = new Set(['google', 'microsoft']);
/** The external token each back-end reads its user's contacts with. */
const EXTERNAL_KIND_OF: Record<string, string> = { google: 'google', office365: 'microsoft' };
/**
 * "This user has no such account" is remembered this long: most users have no Google or Microsoft
 * account linked, and without it every reverse lookup would ask wazo-auth once per such source.
 */
const NO_TOKEN_TTL_MS = 10_000;
const NO_TOKEN_MAX_ENTRIES = 10_000;
export const TOKEN_BACKENDS = ['wazo', 'conference', 'google', 'office365'];

export class TokenService {
  private readonly renewers = new Map<string, { key: string; renewer: TokenRenewer }>();
  /** Remembered 404s (for NO_TOKEN_TTL_MS), by auth URL, kind, user and the user's token. */
  private readonly noToken = new LRUCache<string, true>({ max: NO_TOKEN_MAX_ENTRIES, ttl: NO_TOKEN_TTL_MS });
  /** Each source config's wazo-auth base URL: hasNoToken runs on every call of its sources. */
  private readonly authBases = new WeakMap<SourceConfig, string>();

  constructor(private readonly expirationS: number, private readonly log: Logger) {}

  /** The source's service token, from its own `auth` settings. */
  serviceToken(source: SourceConfig): Promise<ServiceToken> {
    const auth = (source.auth ?? {}) as AuthSettings;
    const key = JSON.stringify(auth);
    let entry = this.renewers.get(source.uuid);
    if (!entry || entry.key !== key) {
      entry?.renewer.close();
      entry = { key, renewer: new TokenRenewer(auth, source.tenant_uuid, this.expirationS, this.log.child({ source: source.name })) };
      this.renewers.set(source.uuid, entry);
    }
    return entry.renewer.get();
  }

  /** A user's external (OAuth) access token from the source's wazo-auth; null when the user has none. */
  async externalToken(source: SourceConfig, kind: string, userUuid: string | null, userToken: string | null): Promise<string | null> {
    if (!EXTERNAL_KINDS.has(kind)) throw new Error(`unknown external token kind "${kind}"`);
    if (!userUuid || !userToken) return null;
    const auth = (source.auth ?? {}) as AuthSettings;
    const { url, remembered } = this.externalKey(source, kind, userUuid, userToken);
    if (this.knownWithout(remembered)) return null;
    const answer = await requestJson(url, {
      headers: { 'X-Auth-Token': userToken },
      timeoutMs: timeoutMs(auth),
      verify: verifyOption(auth.verify_certificate),
    });
    if (answer.status === 404) {
      this.rememberNoToken(remembered);
      return null;
    }
    this.noToken.delete(remembered);
    const token = answer.body?.access_token;
    if (answer.status !== 200 || typeof token !== 'string') throw new Error(`wazo-auth answered ${answer.status} to the external token request`);
    return token;
  }

  /**
   * Whether a google or office365 source's caller is known to have no token for it (no user, or a 404
   * remembered): its back-end then finds nothing, and the host need not ask it.
   */
  hasNoToken(source: SourceConfig, userUuid: string | null, userToken: string | null): boolean {
    const kind = EXTERNAL_KIND_OF[source.backend];
    if (!kind) return false;
    if (!userUuid || !userToken) return true;
    return this.knownWithout(this.externalKey(source, kind, userUuid, userToken).remembered);
  }

  private externalKey(source: SourceConfig, kind: string, userUuid: string, userToken: string) {
    let base = this.authBases.get(source);
    if (base === undefined) this.authBases.set(source, (base = authBaseUrl((source.auth ?? {}) as AuthSettings)));
    const url = `${base}/users/${encodeURIComponent(userUuid)}/external/${kind}`;
    return { url, remembered: `${url}\u0000${userToken}` };
  }

  private knownWithout(remembered: string): boolean {
    return this.noToken.get(remembered) === true;
  }

  private rememberNoToken(key: string): void {
    this.noToken.set(key, true);
  }

  forget(uuid: string): void {
    this.renewers.get(uuid)?.renewer.close();
    this.renewers.delete(uuid);
  }

  forgetAll(): void {
    for (const { renewer } of this.renewers.values()) renewer.close();
    this.renewers.clear();
  }

  close(): void {
    this.forgetAll();
  }
}

export default class WazoTokensPlugin implements ServicePlugin {
  private service: TokenService | null = null;
  private unsubscribe: (() => void) | null = null;

  load({ config, grants, changes, log }: ServiceLoadArgs): TokenService {
    const expiration = Number(config.services?.wazo_tokens?.token_expiration ?? 21_600);
    const service = (this.service = new TokenService(expiration, log));
    this.unsubscribe = changes.subscribe((kind, uuid) => (kind === 'source' ? service.forget(uuid) : kind === 'all' && service.forgetAll()));
    grants.grant('tokens', TOKEN_BACKENDS, (source) => ({
      service: () => service.serviceToken(source),
      external: (kind: string, userUuid: string | null, token: string | null) => service.externalToken(source, kind, userUuid, token),
    }), {
      conceal: ['auth.username', 'auth.password', 'auth.key_file'],
      // A user with no Google or Microsoft account linked gets nothing from those sources: no worker call.
      answersNothing: (source, args) => service.hasNoToken(source, args.user_uuid, args.token),
    });
    return service;
  }

  unload(): void {
    this.unsubscribe?.();
    this.service?.close();
  }
}
