// The load tool run as operators run it (node dist/host/loadtest/main.js): against a real dird with a synthetic sample
// source, and against tiny HTTP servers that misbehave on purpose (slow, absent, silent, dropping requests).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { syntheticNumber } from '../../plugins/backends/sample/contacts.js';
import { packageRoot } from '../../src/config/load.js';
import { http, startDird, tokens, users } from '../helpers/dird.js';

const tool = join(packageRoot, 'dist/host/loadtest/main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs the tool in a child process (asynchronously: the server answering it lives in this process). */
function loadtest(args: string[], command: string[] = [process.execPath, tool]): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(command[0], [...command.slice(1), ...args], { timeout: 60_000, env: { ...process.env, DIRD_TOKEN: '' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

t.test('a short run against a profile with a synthetic sample source', async (t) => {
  const dird = await startDird();
  t.teardown(() => dird.close());
  const api = (method: string, path: string, body?: unknown) => http(dird.url, method, path, body);
  const display = (await api('POST', '/0.1/displays', { name: 'main', columns: [{ title: 'Name', field: 'name' }] })).body;
  const source = await api('POST', '/0.1/backends/sample/sources', {
    name: 'synthetic', contacts: 1000, searched_columns: ['firstname', 'lastname'], first_matched_columns: ['number'],
    format_columns: { name: '{firstname} {lastname}', reverse: '{firstname} {lastname}' },
  });
  t.equal(source.status, 200, 'synthetic source created');
  const sources = [{ uuid: source.body.uuid }];
  const profile = await api('POST', '/0.1/profiles', {
    name: 'default', display: { uuid: display.uuid },
    services: { lookup: { sources }, reverse: { sources } },
  });
  t.equal(profile.status, 201, 'profile created');

  const dir = t.testdir({
    'numbers.txt': `# callers\n${syntheticNumber(1)}\n${syntheticNumber(500)}\n\n0000000\n`,
    'terms.txt': 'alice\nmartin\n',
  });
  const common = ['--url', dird.url, '--token', tokens.admin, '--user', users.admin, '--numbers', join(dir, 'numbers.txt'),
    '--duration', '1', '--rate', '20', '--connections', '2'];

  t.test('prints the summary and succeeds', async (t) => {
    const run = await loadtest([...common, '--terms', join(dir, 'terms.txt'), '--mix', 'reverse=50,lookup=50']);
    t.equal(run.code, 0, run.stderr);
    const requests = Number(/^requests: +(\d+) \(reverse (\d+), lookup (\d+)\)$/m.exec(run.stdout)?.[1]);
    t.ok(requests > 0, `requests counted: ${run.stdout}`);
    t.match(run.stdout, /^requests: +\d+ \(reverse [1-9]\d*, lookup [1-9]\d*\)$/m, 'both kinds were sent');
    t.match(run.stdout, /^errors: +0 /m);
    t.match(run.stdout, /^status codes: 200: \d+$/m);
    t.match(run.stdout, /^latency: +p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms, mean [\d.]+ ms$/m);
    t.match(run.stdout, /^throughput: +[\d.]+ req\/s$/m);
    t.match(run.stderr, /^\[\d+s\/1s\] \d+ requests, \d+ errors, [\d.]+ req\/s$/m, 'progress lines, the last one at the end');
  });

  t.test('failed answers are counted and make the exit code 1', async (t) => {
    const run = await loadtest([...common, '--profile', 'nope', '--json']);
    t.equal(run.code, 1);
    const summary = JSON.parse(run.stdout);
    t.ok(summary.requests > 0);
    t.equal(summary.errors, summary.requests, 'every answer was a 404');
    t.same(Object.keys(summary.statusCodes), ['404']);
    t.equal(summary.byKind.reverse.non2xx, summary.requests, 'the default mix without --terms is all reverse');
    t.type(summary.latencyMs.p99, 'number');
  });
});

t.test('bad arguments: exit code 2 and a message naming the option', async (t) => {
  const dir = t.testdir({ 'numbers.txt': '100\n', 'empty.txt': '# nothing\n' });
  const numbers = join(dir, 'numbers.txt');
  const base = ['--url', 'http://127.0.0.1:9', '--token', 't', '--user', users.admin, '--numbers', numbers];
  const cases: [string[], RegExp][] = [
    [['--token', 't'], /--url is required/],
    [['--url', 'not a url', '--token', 't'], /--url: not a URL/],
    [['--url', 'ftp://127.0.0.1', '--token', 't'], /--url: only http and https/],
    [['--url', 'http://127.0.0.1:9'], /--token is required/],
    [[...base, '--rate', 'fast'], /--rate: expected a whole number/],
    [[...base, '--rate', '0'], /--rate: expected a whole number from 1/],
    [[...base, '--duration', '99999'], /--duration: expected a whole number from 1 to 3600/],
    [[...base, '--connections', '-1'], /--connections/],
    [[...base, '--mix', 'reverse=90,search=10'], /--mix: expected kind=weight pairs/],
    [[...base, '--mix', 'reverse=0'], /--mix: at least one weight/],
    [[...base, '--mix', 'reverse=50,lookup=50'], /--terms is required/],
    [[...base, '--user', 'bob'], /--user: not a uuid/],
    [['--url', 'http://127.0.0.1:9', '--token', 't', '--numbers', numbers], /--user is required/],
    [['--url', 'http://127.0.0.1:9', '--token', 't', '--user', users.admin], /--numbers is required/],
    [[...base, '--numbers', join(dir, 'empty.txt')], /--numbers is required/],
    [[...base, '--numbers', join(dir, 'missing.txt')], /--numbers: cannot read .*ENOENT/],
    [[...base, '--frobnicate'], /--frobnicate/],
  ];
  for (const [args, message] of cases) {
    const run = await loadtest(args);
    t.equal(run.code, 2, args.join(' '));
    t.match(run.stderr, message, args.join(' '));
    t.equal(run.stdout, '', 'nothing is run');
  }
  const help = await loadtest(['--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /--mix SPEC/);
});

// Against stub servers, each misbehaving in one way.
const numbers = join(t.testdir({ 'numbers.txt': '100\n200\n' }), 'numbers.txt');

function stubArgs(url: string, ...more: string[]): string[] {
  return ['--url', url, '--token', 't', '--user', users.admin, '--numbers', numbers, ...more];
}

t.test('latencies are the answers\' own, not spread below them by coordinated-omission correction', async (t) => {
  const server = await stubServer((_request, response) => setTimeout(() => response.end('{}'), 50));
  t.teardown(() => server.close());
  const run = await loadtest(stubArgs(server.url, '--rate', '20', '--connections', '2', '--duration', '2', '--json'));
  t.equal(run.code, 0, run.stderr);
  const { latencyMs } = JSON.parse(run.stdout);
  t.ok(latencyMs.p50 >= 50 && latencyMs.p50 < 150, `p50 ${latencyMs.p50} ms for a 50 ms server`);
  t.ok(latencyMs.mean >= 50, `mean ${latencyMs.mean} ms`);
});

t.test('nothing listening: the run stops early and says why', async (t) => {
  const port = await freePort();
  const run = await loadtest(stubArgs(`http://127.0.0.1:${port}`, '--duration', '10'));
  t.equal(run.code, 1);
  t.match(run.stderr, new RegExp(`^loadtest: cannot connect to http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)$`, 'm'));
  t.ok(run.seconds < 5, `gave up after ${run.seconds} s, not the 10 s asked`);
  const errors = Math.max(...[...run.stderr.matchAll(/(\d+) errors/g)].map((match) => Number(match[1])));
  t.ok(errors <= 100, `${errors} errors counted: it stops once every connection was refused, not after a second of retries`);
});

t.test('a server that never answers: gives up after the timeout; a shorter run shows no latency', async (t) => {
  const server = await stubServer(() => {});
  t.teardown(() => server.close());
  const timedOut = await loadtest(stubArgs(server.url, '--duration', '10', '--timeout', '1'));
  t.equal(timedOut.code, 1);
  t.match(timedOut.stderr, /^loadtest: no answer from http:\/\/127\.0\.0\.1:\d+ within 1 s$/m);
  t.ok(timedOut.seconds < 5, `gave up after ${timedOut.seconds} s`);

  const short = await loadtest(stubArgs(server.url, '--duration', '1', '--timeout', '5'));
  t.equal(short.code, 1, 'nothing answered is a failure');
  t.match(short.stdout, /^requests: +0 /m);
  t.match(short.stdout, /^latency: +n\/a \(no answers\)$/m);
});

t.test('requests the server drops without answering are errors, and do not skew later latencies', async (t) => {
  let received = 0;
  const server = await stubServer((request, response) => {
    if (++received % 5 === 0) request.socket.destroy();
    else response.end('{}');
  });
  t.teardown(() => server.close());
  const run = await loadtest(stubArgs(server.url, '--rate', '50', '--connections', '2', '--duration', '2', '--json'));
  t.equal(run.code, 1);
  const summary = JSON.parse(run.stdout);
  t.ok(summary.dropped > 0, `dropped ${summary.dropped} of ${received}`);
  t.ok(summary.dropped <= Math.ceil(received / 5), `no more dropped than the server dropped (${Math.ceil(received / 5)})`);
  t.ok(summary.errors >= summary.dropped, 'dropped requests are errors');
  t.ok(summary.latencyMs.p50 < 100, `p50 ${summary.latencyMs.p50} ms for a server answering at once`);
});

t.test('the header shows the connections really used: at most one per request a second', async (t) => {
  const server = await stubServer((_request, response) => response.end('{}'));
  t.teardown(() => server.close());
  const run = await loadtest(stubArgs(server.url, '--rate', '3', '--connections', '10', '--duration', '1'));
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /^dird load test: .*, 3 connections, target 3 req\/s$/m);
  t.match(run.stderr, /^loadtest: --connections 10 lowered to 3: at most one connection per request a second$/m);
  t.ok(server.connections <= 3, `${server.connections} connections opened`);
  t.match(run.stdout, /^latency: +p50 \d+ ms, p90 \d+ ms, p99 \d+ ms, max \d+ ms, mean [\d.]+ ms$/m, 'whole milliseconds, as recorded');
});

t.test('on a terminal the progress line clears what it overwrites', { skip: !existsSync('/usr/bin/script') && 'no script(1) for a pseudo-terminal' }, async (t) => {
  const server = await stubServer((_request, response) => response.end('{}'));
  t.teardown(() => server.close());
  const command = [process.execPath, tool, ...stubArgs(server.url, '--duration', '2')].map((word) => `'${word}'`).join(' ');
  const run = await loadtest([], ['/usr/bin/script', '-qec', command, '/dev/null']);
  t.equal(run.code, 0, run.stdout);
  t.match(run.stdout, /\r\x1b\[K\[\ds\/2s\]/, 'carriage return then erase to the end of line');
  t.notMatch(run.stdout, /\r\[/, 'never a bare carriage return before the line');
});

interface Stub {
  url: string;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 answering with the handler. */
async function stubServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<Stub> {
  const server = createHttpServer(handler);
  const stub: Stub = {
    url: '',
    connections: 0,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  server.on('connection', () => stub.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
