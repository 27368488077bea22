// One HTTP(S) GET of a CSV web service: keep-alive, a timeout, TLS verification as configured,
// and the body decoded with the response's charset (HTTP's ISO-8859-1 default for text/*).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import iconv from 'iconv-lite';

/** A larger body is refused rather than held in memory. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface FetchSettings {
  timeoutMs: number;
  verify: boolean | string;
}

export interface TextResponse {
  status: number;
  text: string;
}

export class CsvFetcher {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent: https.Agent;

  constructor(private readonly settings: FetchSettings) {
    const { verify } = settings;
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      rejectUnauthorized: verify !== false,
      ...(typeof verify === 'string' ? { ca: readFileSync(verify) } : {}),
    });
  }

  get(url: URL): Promise<TextResponse> {
    const secure = url.protocol === 'https:';
    const request = secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = request(url, { agent: secure ? this.httpsAgent : this.httpAgent, headers: { Accept: 'text/csv, text/plain, */*' } }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            req.destroy(new Error(`response larger than ${MAX_BODY_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: decode(Buffer.concat(chunks), res.headers['content-type']) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (this.settings.timeoutMs > 0) {
        req.setTimeout(this.settings.timeoutMs, () => req.destroy(new Error(`no answer within ${this.settings.timeoutMs} ms`)));
      }
      req.end();
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** The body as text: the declared charset, else ISO-8859-1 for text/* (RFC 2616), else UTF-8. */
export function decode(body: Buffer, contentType: string | undefined): string {
  const declared = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  if (declared && iconv.encodingExists(declared)) return iconv.decode(body, declared);
  if (!declared && /^\s*text\//i.test(contentType ?? '')) return iconv.decode(body, 'latin1');
  return iconv.decode(body, 'utf8');
}
