// A stand-in CSV web service on 127.0.0.1: filters its rows by the query (case-insensitive substring of
// any queried column), in the charset and with the delay, status and TLS a test asks for.
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';

export interface ServiceOptions {
  /** Header row first. */
  rows: string[][];
  delimiter?: string;
  /** Content-Type sent; the body is encoded in `encoding`. */
  contentType?: string;
  encoding?: string;
  delayMs?: number;
  status?: number;
  tls?: { cert: string; key: string };
}

export interface Service {
  url: string;
  /** Query strings received, in order. */
  queries: URLSearchParams[];
  close(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<Service> {
  const queries: URLSearchParams[] = [];
  const delimiter = options.delimiter ?? ',';
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    queries.push(url.searchParams);
    const [header, ...body] = options.rows;
    const wanted = [...url.searchParams].map(([column, value]) => [header.indexOf(column), value.toLowerCase()] as const);
    const rows = url.pathname === '/list' || wanted.length === 0
      ? body
      : body.filter((row) => wanted.some(([i, value]) => i >= 0 && (row[i] ?? '').toLowerCase().includes(value)));
    const quote = (cell: string) => (/["\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replaceAll('"', '""')}"` : cell);
    const text = [header, ...rows].map((row) => row.map(quote).join(delimiter)).join('\n') + '\n';
    const answer = () => {
      if (res.destroyed) return;
      res.writeHead(options.status ?? 200, { 'Content-Type': options.contentType ?? 'text/csv; charset=utf-8' });
      res.end(iconv.encode(text, options.encoding ?? 'utf8'));
    };
    if (options.delayMs) setTimeout(answer, options.delayMs);
    else answer();
  };
  const server = options.tls
    ? createHttps({ cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) }, handler)
    : createHttp(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
