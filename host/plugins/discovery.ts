// Finds plugins: every package whose package.json has a `dird` field, among dird itself, the packages
// installed beside it in node_modules, and the packages in `plugin_paths` (a package dir, or a dir of them).
//   "dird": {"backends": {"csv": "./dist/plugins/backends/csv/index.js"}, "services": {...}, "views": {...}}
// A plugin is on unless `enabled_plugins.<kind>.<name>` is false.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';

export const pluginKinds = ['backends', 'services', 'views'] as const;
export type PluginKind = (typeof pluginKinds)[number];

export interface PluginEntry {
  kind: PluginKind;
  name: string;
  /** Absolute path of the module file. */
  modulePath: string;
  packageName: string;
}
export type PluginIndex = Record<PluginKind, Map<string, PluginEntry>>;

export function discoverPlugins(
  packageRoot: string,
  pluginPaths: string[],
  enabled: Partial<Record<PluginKind, Record<string, unknown>>>,
  log: Logger,
): PluginIndex {
  const index: PluginIndex = { backends: new Map(), services: new Map(), views: new Map() };
  const packages = [packageRoot, ...installedPackages(join(packageRoot, 'node_modules')), ...pluginPaths.flatMap(packagesIn)];
  for (const dir of packages) {
    const manifest = readManifest(dir, log);
    if (!manifest?.dird) continue;
    for (const kind of pluginKinds) {
      for (const [name, file] of Object.entries<unknown>(manifest.dird[kind] ?? {})) {
        if (typeof file !== 'string') {
          log.warn({ package: manifest.name, kind, name }, 'plugin entry must be a module path; skipped');
          continue;
        }
        if (enabled[kind]?.[name] === false) continue;
        if (index[kind].has(name)) {
          log.warn({ kind, name, package: manifest.name }, 'plugin name already taken by another package; skipped');
          continue;
        }
        index[kind].set(name, { kind, name, modulePath: resolve(dir, file), packageName: String(manifest.name ?? dir) });
      }
    }
  }
  for (const kind of pluginKinds) {
    for (const name of Object.keys(enabled[kind] ?? {})) {
      if (enabled[kind]?.[name] && !index[kind].has(name)) log.warn({ kind, name }, 'enabled plugin not found; ignored');
    }
  }
  return index;
}

function readManifest(dir: string, log: Logger): Record<string, any> | null {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    log.warn({ file, err: error }, 'unreadable package.json; skipped');
    return null;
  }
}

/** A plugin path is either a package (has package.json) or a folder of packages. */
function packagesIn(path: string): string[] {
  const dir = resolve(path);
  if (existsSync(join(dir, 'package.json'))) return [dir];
  return subdirs(dir);
}

function installedPackages(nodeModules: string): string[] {
  return subdirs(nodeModules).flatMap((dir) => (dir.split('/').pop()!.startsWith('@') ? subdirs(dir) : [dir]));
}

function subdirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => (entry.isDirectory() || entry.isSymbolicLink()) && !entry.name.startsWith('.'))
    .map((entry) => join(dir, entry.name));
}
