// A small JSON-over-HTTP(S) client for the remote back-ends (wazo-auth, wazo-confd, Google, Graph).
// node:http rather than fetch: per-request TLS settings (verify_certificate false or a CA file path).
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** TLS verification: true, false, or the path of a CA bundle. */
  verify?: boolean | string;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or null when the body is empty or not JSON. */
  body: any;
}

/** A connection error, a timeout or an oversized answer: the remote gave no usable HTTP answer. */
export class RemoteUnreachable extends Error {}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
const tlsAgents = new Map<string | false, https.Agent>();

export function requestJson(url: string, options: RequestOptions = {}): Promise<Answer> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const send = secure ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const request = send(target, {
      method: options.method ?? 'GET',
      headers: { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
      agent: secure ? tlsAgent(options.verify ?? true) : agents.http,
    }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) request.destroy(new RemoteUnreachable('answer too large'));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parseJson(Buffer.concat(chunks).toString('utf8')) });
      });
      response.on('error', fail);
    });
    const timer = setTimeout(() => request.destroy(new RemoteUnreachable('timeout')), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error instanceof RemoteUnreachable ? error : new RemoteUnreachable(error.message));
    }
    request.on('error', fail);
    request.end(options.body);
  });
}

/** One keep-alive agent per TLS setting: verified, unverified, or verified against a CA file. */
function tlsAgent(verify: boolean | string): https.Agent {
  if (verify === true) return agents.https;
  const key = verify === false ? false : verify;
  let agent = tlsAgents.get(key);
  if (!agent) {
    agent = verify === false
      ? new https.Agent({ keepAlive: true, rejectUnauthorized: false })
      : new https.Agent({ keepAlive: true, ca: readFileSync(verify) });
    tlsAgents.set(key, agent);
  }
  return agent;
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
