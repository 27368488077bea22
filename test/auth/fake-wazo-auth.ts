// A small stand-in for wazo-auth on 127.0.0.1 speaking its wire format (spec §6), recording every request.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aclAllows } from '../../host/auth/acl.js';

export interface FakeToken {
  user_uuid: string;
  tenant_uuid: string;
  session_uuid?: string;
  acl: string[];
}

export interface FakeTenant {
  uuid: string;
  name: string;
  parent_uuid: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeWazoAuthOptions {
  tokens: Record<string, FakeToken>;
  tenants: FakeTenant[];
  service?: { username: string; password: string; tenant_uuid: string };
  prefix?: string;
  /** Users' external (OAuth) tokens: user uuid -> kind (google, microsoft) -> access token. */
  externalTokens?: Record<string, Record<string, string>>;
  /** Users known to GET /users/<uuid>, by uuid: their tenant. */
  users?: Record<string, string>;
}

export class FakeWazoAuth {
  readonly requests: RecordedRequest[] = [];
  /** Answer this status to every request while set. */
  forcedStatus: number | null = null;
  /** Number of upcoming POST /token requests answered with 500. */
  failServiceTokens = 0;
  /** Paths (without query) that never get an answer. */
  readonly hangPaths = new Set<string>();
  port = 0;
  private server: Server;
  private issued = 0;

  constructor(private readonly options: FakeWazoAuthOptions) {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => this.handle(req.method ?? '', req.url ?? '', req.headers, body, res));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Whether `token` is a live token of this wazo-auth (other stand-ins check theirs with it). */
  knows(token: string): boolean {
    return Object.hasOwn(this.options.tokens, token);
  }

  /** A user's external tokens, to change in a test. */
  externalTokensOf(user: string): Record<string, string> {
    this.options.externalTokens ??= {};
    return (this.options.externalTokens[user] ??= {});
  }

  /** Requests whose path starts with `prefix`. */
  hits(method: string, pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  private subtree(tenant: string): string[] {
    const result = [tenant];
    for (let i = 0; i < result.length && i <= this.options.tenants.length; i++) {
      for (const t of this.options.tenants) if (t.parent_uuid === result[i] && t.uuid !== t.parent_uuid) result.push(t.uuid);
    }
    return result;
  }

  private handle(method: string, rawUrl: string, headers: IncomingHttpHeaders, body: string, res: import('node:http').ServerResponse): void {
    const url = new URL(rawUrl, 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const prefix = this.options.prefix ?? '';
    this.requests.push({ method, path: url.pathname, query, headers, body });
    if (this.hangPaths.has(url.pathname)) return;
    const send = (status: number, payload?: unknown) => {
      res.writeHead(status, payload === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(payload === undefined || method === 'HEAD' ? undefined : JSON.stringify(payload));
    };
    if (this.forcedStatus) return send(this.forcedStatus, { reason: ['forced'] });
    if (!url.pathname.startsWith(`${prefix}/0.1/`)) return send(404, { reason: ['no route'] });
    const path = url.pathname.slice(prefix.length + '/0.1'.length);

    if (method === 'POST' && path === '/token') return this.createToken(headers, body, send);
    const tokenMatch = /^\/token\/([^/]+)$/.exec(path);
    if (tokenMatch) {
      const id = decodeURIComponent(tokenMatch[1]);
      const token = this.options.tokens[id];
      if (!token) return send(404, { reason: ['No such token'] });
      if (method === 'GET') {
        return send(200, {
          data: { token: id, session_uuid: token.session_uuid ?? null, acl: token.acl, metadata: { uuid: token.user_uuid, tenant_uuid: token.tenant_uuid, pbx_user_uuid: token.user_uuid } },
        });
      }
      if (method === 'HEAD') {
        const scopeOk = !query.scope || aclAllows(token.acl, query.scope, token);
        const tenantOk = !query.tenant || this.subtree(token.tenant_uuid).includes(query.tenant);
        return send(scopeOk && tenantOk ? 204 : 403);
      }
    }
    const externalMatch = /^\/users\/([^/]+)\/external\/([^/]+)$/.exec(path);
    if (method === 'GET' && externalMatch) return this.externalToken(decodeURIComponent(externalMatch[1]), externalMatch[2], headers, send);
    if (method === 'GET' && path === '/tenants') {
      const token = this.options.tokens[String(headers['x-auth-token'])];
      const tenant = String(headers['wazo-tenant'] ?? token?.tenant_uuid);
      if (!token || !aclAllows(token.acl, 'auth.tenants.read', token) || !this.subtree(token.tenant_uuid).includes(tenant)) {
        return send(401, { reason: ['Unauthorized'] });
      }
      const visible = this.subtree(tenant);
      const items = this.options.tenants.filter((t) => visible.includes(t.uuid) && (!query.name || t.name === query.name));
      return send(200, { items, total: visible.length, filtered: items.length });
    }
    const userMatch = /^\/users\/([^/]+)$/.exec(path);
    if (method === 'GET' && userMatch) {
      const token = this.options.tokens[String(headers['x-auth-token'])];
      if (!token) return send(401, { reason: ['Unauthorized'] });
      const uuid = decodeURIComponent(userMatch[1]);
      const tenant = this.options.users?.[uuid];
      if (!tenant || !this.subtree(token.tenant_uuid).includes(tenant)) return send(404, { reason: ['No such user'] });
      return send(200, { uuid, tenant_uuid: tenant, username: uuid, enabled: true });
    }
    send(405, { reason: ['Method not allowed'] });
  }

  private externalToken(user: string, kind: string, headers: IncomingHttpHeaders, send: (status: number, payload?: unknown) => void): void {
    const token = this.options.tokens[String(headers['x-auth-token'])];
    if (!token) return send(401, { reason: ['Unauthorized'] });
    const access = this.options.externalTokens?.[user]?.[kind];
    if (!access) return send(404, { error_id: 'unknown-token', message: `No token found for user "${user}"`, resource: kind });
    send(200, { access_token: access, token_expiration: 3599, scope: [] });
  }

  private createToken(headers: IncomingHttpHeaders, body: string, send: (status: number, payload?: unknown) => void): void {
    const service = this.options.service;
    if (this.failServiceTokens > 0) {
      this.failServiceTokens--;
      return send(500, { reason: ['boom'] });
    }
    const [username, password] = Buffer.from(String(headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    if (!service || username !== service.username || password !== service.password) return send(401, { reason: ['Authentication failed'] });
    const expiration = JSON.parse(body || '{}').expiration;
    const token = `service-token-${++this.issued}`;
    this.options.tokens[token] = { user_uuid: 'dird-service', tenant_uuid: service.tenant_uuid, acl: ['auth.tenants.read'] };
    send(200, { data: { token, expires_at: new Date(Date.now() + expiration * 1000).toISOString(), metadata: { tenant_uuid: service.tenant_uuid, uuid: 'dird-service' } } });
  }
}

/** A port on 127.0.0.1 where nothing listens. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `condition` every 10 ms, at most `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 3000): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs; waited += 10) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}
