#!/usr/bin/env node
// The load tool's entry point: `npm run loadtest -- --url … --token …` (see USAGE).
import { parseOptions, USAGE, UsageError, type LoadOptions } from './args.js';
import { drive } from './drive.js';
import { formatSummary, progressLine } from './summary.js';

async function main(): Promise<number> {
  let options: LoadOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`loadtest: ${error.message}\n(run with --help for the options)\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const chosen = options;
  if (chosen.connections < chosen.requestedConnections) {
    process.stderr.write(`loadtest: --connections ${chosen.requestedConnections} lowered to ${chosen.connections}: at most one connection per request a second\n`);
  }
  // On a terminal the progress line rewrites itself (erasing the longer line it replaces); in a log it is one line a second.
  const tty = process.stderr.isTTY;
  let summary;
  try {
    summary = await drive(chosen, (progress) => process.stderr.write(tty ? `\r\x1b[K${progressLine(progress, chosen)}` : `${progressLine(progress, chosen)}\n`));
  } finally {
    if (tty) process.stderr.write('\n');
  }
  process.stdout.write((chosen.json ? JSON.stringify(summary) : formatSummary(summary, chosen)) + '\n');
  return summary.errors > 0 || summary.requests === 0 ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
}, (error) => {
  process.stderr.write(`loadtest: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
