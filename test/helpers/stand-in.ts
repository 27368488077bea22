// A small JSON HTTP server on 127.0.0.1 standing in for a remote API, recording every request.
// `delayMs` makes it slow, `forcedStatus` makes it fail; a handler answers the rest.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface StandInRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}
export interface StandInAnswer {
  status: number;
  body?: unknown;
}
export type StandInHandler = (request: StandInRequest) => StandInAnswer;

export class StandIn {
  readonly requests: StandInRequest[] = [];
  delayMs = 0;
  forcedStatus: number | null = null;
  port = 0;
  /**
   * Keep each answer by method, URL and token, and send it again without running the handler: for
   * benchmarks, where the stand-in's own work would take CPU from the server measured beside it.
   */
  memoize = false;
  private readonly memo = new Map<string, { status: number; text: string }>();
  private readonly server: Server;

  /** With `tls`, it speaks HTTPS with that key and certificate. */
  constructor(handler: StandInHandler, private readonly tls?: { key: string; cert: string }) {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      const key = this.memoize ? `${req.method} ${req.url} ${req.headers['x-auth-token'] ?? ''} ${req.headers.authorization ?? ''}` : '';
      const known = this.memoize ? this.memo.get(key) : undefined;
      if (known) {
        res.writeHead(known.status, { 'Content-Type': 'application/json' });
        res.end(known.text);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const request = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers };
      this.requests.push(request);
      const answer = this.forcedStatus ? { status: this.forcedStatus, body: { message: 'forced failure' } } : handler(request);
      const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
      if (this.memoize && this.memo.size < 100_000) this.memo.set(key, { status: answer.status, text });
      const send = () => {
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(text);
      };
      if (this.delayMs > 0) setTimeout(send, this.delayMs).unref();
      else send();
    };
    this.server = tls ? createTlsServer(tls, listener) : createServer(listener);
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
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

  hits(path: string): StandInRequest[] {
    return this.requests.filter((r) => r.path === path);
  }
}

/** Offset/limit as list APIs take them. */
export function page<T>(items: T[], query: URLSearchParams): T[] {
  const offset = Number(query.get('offset') ?? 0);
  const limit = query.has('limit') ? Number(query.get('limit')) : undefined;
  return items.slice(offset, limit === undefined ? undefined : offset + limit);
}
