// Command-line options of the load tool, checked up front so a typo never turns into a silent run.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run loadtest -- --url URL --token TOKEN [options]

Drives reverse and lookup traffic against a running dird and prints throughput, errors and latency.

  --url URL            dird's base URL, e.g. http://127.0.0.1:9489 (required)
  --token TOKEN        a token allowed to query the profile (required; or the DIRD_TOKEN variable)
  --profile NAME       profile to query (default: default)
  --user UUID          user uuid in the reverse route (required when the mix has reverse)
  --numbers FILE       numbers to reverse-look-up, one a line (required when the mix has reverse)
  --terms FILE         terms to look up, one a line (required when the mix has lookup)
  --mix SPEC           share of each request kind, e.g. reverse=90,lookup=10
                       (default: reverse=90,lookup=10 with --terms, else reverse=100)
  --rate N             requests per second over all connections (default: 50)
  --duration S         seconds to run, at most 3600 (default: 10)
  --connections N      concurrent connections, at most one per request a second (default: 10)
  --timeout S          seconds before a request counts as timed out (default: 10)
  --json               print the summary as JSON
  --help               this text

Files: blank lines and lines starting with # are skipped. Exit code: 0 when every request got a
2xx answer, 1 when some did not, 2 on bad options.`;

export type Kind = 'reverse' | 'lookup';

export interface LoadOptions {
  url: URL;
  token: string;
  profile: string;
  user: string | null;
  numbers: string[];
  terms: string[];
  mix: Record<Kind, number>;
  rate: number;
  duration: number;
  /** At most rate: autocannon opens no more connections than requests a second. */
  connections: number;
  /** --connections as given, when connections had to be lowered. */
  requestedConnections: number;
  timeout: number;
  json: boolean;
}

/** A bad command line: the message names the option; the tool exits with code 2. */
export class UsageError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): LoadOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' }, token: { type: 'string' }, profile: { type: 'string' }, user: { type: 'string' },
        numbers: { type: 'string' }, terms: { type: 'string' }, mix: { type: 'string' },
        rate: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' },
        timeout: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';

  const url = parseUrl(values.url);
  const token = values.token ?? env.DIRD_TOKEN;
  if (!token) throw new UsageError('--token is required (or set DIRD_TOKEN)');
  const profile = values.profile ?? 'default';
  if (profile === '' || profile.includes('/')) throw new UsageError(`--profile: not a profile name: ${JSON.stringify(profile)}`);
  const mix = parseMix(values.mix ?? (values.terms !== undefined ? 'reverse=90,lookup=10' : 'reverse=100'));
  const user = values.user ?? null;
  if (user !== null && !UUID.test(user)) throw new UsageError(`--user: not a uuid: ${JSON.stringify(user)}`);
  if (mix.reverse > 0 && user === null) throw new UsageError('--user is required when the mix has reverse requests');
  const numbers = values.numbers !== undefined ? readLines('--numbers', values.numbers) : [];
  if (mix.reverse > 0 && numbers.length === 0) throw new UsageError('--numbers is required (a file with at least one number) when the mix has reverse requests');
  const terms = values.terms !== undefined ? readLines('--terms', values.terms) : [];
  if (mix.lookup > 0 && terms.length === 0) throw new UsageError('--terms is required (a file with at least one term) when the mix has lookup requests');
  const rate = integer('--rate', values.rate, 50, 1, 1_000_000);
  const requestedConnections = integer('--connections', values.connections, 10, 1, 10_000);
  return {
    url, token, profile, user, numbers, terms, mix, rate,
    duration: integer('--duration', values.duration, 10, 1, 3600),
    connections: Math.min(requestedConnections, rate),
    requestedConnections,
    timeout: integer('--timeout', values.timeout, 10, 1, 600),
    json: values.json ?? false,
  };
}

function parseUrl(text: string | undefined): URL {
  if (text === undefined) throw new UsageError('--url is required');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url: not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url: only http and https are supported, not ${url.protocol}`);
  if (url.search || url.hash) throw new UsageError('--url: give the base URL, without query or fragment');
  return url;
}

function integer(option: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${option}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function parseMix(text: string): Record<Kind, number> {
  const mix: Record<Kind, number> = { reverse: 0, lookup: 0 };
  for (const part of text.split(',')) {
    const match = /^\s*(reverse|lookup)\s*=\s*(\d{1,6})\s*$/.exec(part);
    if (!match) throw new UsageError(`--mix: expected kind=weight pairs like reverse=90,lookup=10, got ${JSON.stringify(part)}`);
    mix[match[1] as Kind] = Number(match[2]);
  }
  if (mix.reverse + mix.lookup === 0) throw new UsageError('--mix: at least one weight must be above 0');
  return mix;
}

function readLines(option: string, file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${option}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}
