// Builds a dird: store, plugins, sandboxed sources, auth, and the fastify app serving the views.
import swagger from '@fastify/swagger';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { BackendCatalog, ServiceMap, ServicePlugin, ViewPlugin } from '../src/contracts.js';
import { packageRoot } from '../src/config/load.js';
import { openStore } from '../src/storage/open.js';
import type { Store } from '../src/storage/store.js';
import { authPlugin } from './auth/plugin.js';
import { createAuthProvider, type AuthProvider } from './auth/provider.js';
import { ChangeRelay } from './change-relay.js';
import { createChangeFeed } from './changes.js';
import { serveCors } from './http/cors.js';
import { errorHandler } from './http/error-handler.js';
import { FrameworkLog } from './http/framework-log.js';
import { DirdMetrics } from './metrics.js';
import { discoverPlugins, type PluginEntry } from './plugins/discovery.js';
import { buildCatalog } from './sources/catalog.js';
import { SandboxRegistry } from './sources/registry.js';

export interface Dird {
  app: FastifyInstance;
  /** dird's logger (fastify has none of its own: see http/framework-log.ts). */
  log: Logger;
  store: Store;
  services: ServiceMap;
  sources: SandboxRegistry;
  backends: BackendCatalog;
  auth: AuthProvider;
  /** Relays changes to the other instances on the same PostgreSQL database; null on SQLite. */
  relay: ChangeRelay | null;
  close(): Promise<void>;
}

export async function createDird(config: Record<string, any>, log: Logger): Promise<Dird> {
  const store = await openStore(config.db_uri, log);
  const plugins = discoverPlugins(packageRoot, config.plugin_paths ?? [], config.enabled_plugins ?? {}, log);
  const backends = await buildCatalog(plugins.backends, log);
  const changes = createChangeFeed();
  const metrics = new DirdMetrics();
  const sources = new SandboxRegistry(plugins.backends, config, log.child({ component: 'sandbox' }), changes, undefined, metrics);
  const auth = createAuthProvider(config, log.child({ component: 'auth' }));

  const app = Fastify({
    logController: new FrameworkLog(log),
    bodyLimit: 16 * 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, useDefaults: true, coerceTypes: 'array', allErrors: true, verbose: true } },
  }) as unknown as FastifyInstance;
  app.setErrorHandler(errorHandler(log));
  // Before any route: every route gets its latency hooks.
  if (config.metrics?.enabled !== false) metrics.instrument(app);
  acceptJsonWhateverTheContentType(app);
  if (config.rest_api?.cors?.enabled) {
    serveCors(app, config.rest_api.cors.allow_headers ?? []);
  }
  await app.register(swagger, {
    openapi: { info: { title: 'dird', description: 'wazo-dird compatible directory API', version: '0.1' } },
  });
  await app.register(authPlugin, { provider: auth });

  const services: ServiceMap = { auth, sources, metrics, logging: { setLevel: (level: string) => (log.level = level) } };
  const unloads: Array<() => unknown> = [];
  const starts: Array<{ name: string; start: () => unknown }> = [];
  for (const entry of plugins.services.values()) {
    const plugin = await instantiate<ServicePlugin>(entry, log);
    if (!plugin) continue;
    try {
      services[entry.name] = await plugin.load({
        config, sources, services, store, backends, changes,
        grants: sources.grants.forPackage(entry.packageName),
        log: log.child({ service: entry.name }),
      });
      unloads.push(() => plugin.unload?.());
      if (plugin.start) starts.push({ name: entry.name, start: () => plugin.start!() });
    } catch (error) {
      log.error({ service: entry.name, err: error }, 'service failed to load; skipped');
    }
  }
  for (const entry of plugins.views.values()) {
    const plugin = await instantiate<ViewPlugin>(entry, log);
    if (!plugin) continue;
    try {
      await plugin.load({ config, services, app, backends, log: log.child({ view: entry.name }) });
      unloads.push(() => plugin.unload?.());
    } catch (error) {
      log.error({ view: entry.name, err: error }, 'view failed to load; skipped');
    }
  }
  await app.ready();
  // SQLite is one process's database: nothing to relay.
  const relay = store.dialect === 'postgres'
    ? new ChangeRelay(config.db_uri, changes, (channel, payload) => sql`select pg_notify(${channel}, ${payload})`.execute(store.db),
      log.child({ component: 'change-relay' }))
    : null;
  services.change_relay = relay;
  await relay?.start();
  for (const { name, start } of starts) {
    await Promise.resolve().then(start).catch((error) => log.error({ service: name, err: error }, 'service failed to start'));
  }

  return {
    app, log, store, services, sources, backends, auth, relay,
    async close() {
      await relay?.close();
      await app.close();
      for (const unload of unloads.reverse()) await Promise.resolve(unload()).catch(() => {});
      await sources.close();
      await auth.close();
      await store.close();
    },
  };
}

/** Services and views run in the host (they are trusted code); back-ends never do. */
async function instantiate<T>(entry: PluginEntry, log: Logger): Promise<T | null> {
  try {
    const module = await import(pathToFileURL(entry.modulePath).href);
    const Class = typeof module.default === 'function' ? module.default : module.default?.default;
    return new Class() as T;
  } catch (error) {
    log.error({ kind: entry.kind, plugin: entry.name, err: error }, 'plugin cannot be loaded; skipped');
    return null;
  }
}

/** wazo-dird parses POST/PUT/PATCH bodies as JSON whatever their Content-Type (spec §1.3). */
function acceptJsonWhateverTheContentType(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    if (String(body).trim() === '') return done(null, undefined);
    parseJson(request, body as string, (error: Error | null, value?: unknown) => {
      if (error) return done(Object.assign(error, { statusCode: 400 }), undefined);
      done(null, value);
    });
  });
}
