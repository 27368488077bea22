#!/usr/bin/env -S node --max-semi-space-size=64
// `dird [-c FILE] [-d] [-l LEVEL]`: loads the config, starts the HTTP API, stops cleanly on SIGTERM.
import pino from 'pino';
import { loadConfig, parseCommandLine } from '../src/config/load.js';
import { installAdminToken } from './admin-token.js';
import { createDird } from './app.js';
import { seedSample } from './bootstrap.js';

const SHUTDOWN_LIMIT_MS = 9000;

async function main() {
  const { config, warnings } = loadConfig(parseCommandLine(process.argv.slice(2)));
  const log = pino({
    level: config.log_level,
    redact: { paths: ['*.password', '*.token', 'req.headers["x-auth-token"]'], censor: '********' },
  }, config.log_filename ? pino.destination({ dest: config.log_filename, mkdir: true }) : undefined);
  for (const warning of warnings) log.warn(warning);

  if (config.auth.generate_admin_token) {
    const { file, created } = installAdminToken(config);
    if (created) {
      process.stdout.write(`\ndird: generated the admin token ${created.token}\n      (kept in ${file}; it is not shown again)\n\n`);
    }
  }
  const dird = await createDird(config, log);
  if (config.bootstrap.sample) await seedSample(dird, config, log);
  const address = await dird.app.listen({ host: config.rest_api.listen, port: config.rest_api.port });
  log.info({ address }, 'dird ready');
  await dird.services.phone_api?.listen().then(
    (phones: string) => log.info({ address: phones }, 'phone API ready'),
    (error: Error) => log.error({ err: error }, 'phone API cannot listen: desk phones cannot reach their directories'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    await dird.close().catch((error) => log.error({ err: error }, 'error while stopping'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(`dird: ${error?.stack ?? error}\n`);
  process.exit(1);
});
