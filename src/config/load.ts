// Loads the effective configuration: defaults < config file < extra_config_files < command line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { defaults, openKeys, type DirdConfig } from './defaults.js';
import { deepMerge, isPlainObject } from './merge.js';
import { checkedReverseCache } from './reverse-cache.js';

/** The folder holding package.json (dist/src/config → three levels up). */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface LoadedConfig {
  config: DirdConfig;
  /** Things worth a log line once the logger exists (unknown keys, skipped files). */
  warnings: string[];
}

export function parseCommandLine(argv: string[]): Record<string, any> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'config-file': { type: 'string', short: 'c' },
      debug: { type: 'boolean', short: 'd' },
      'log-level': { type: 'string', short: 'l' },
      user: { type: 'string', short: 'u' },
    },
    allowPositionals: false,
    strict: true,
  });
  const cli: Record<string, any> = {};
  if (values['config-file']) cli.config_file = values['config-file'];
  if (values.debug) cli.debug = true;
  if (values['log-level']) cli.log_level = values['log-level'];
  if (values.user) cli.user = values.user;
  return cli;
}

export function loadConfig(cli: Record<string, any>): LoadedConfig {
  const warnings: string[] = [];
  const configFile = fromRoot(cli.config_file ?? defaults.config_file);
  const main = readYaml(configFile, warnings, cli.config_file !== undefined);
  const extraDir = fromRoot(cli.extra_config_files ?? main.extra_config_files ?? defaults.extra_config_files);
  const extras = readExtraFiles(extraDir, warnings);
  const config = deepMerge(defaults, main, ...extras, cli) as DirdConfig;
  config.config_file = configFile;
  if (config.debug) config.log_level = 'debug';
  config.log_level = normaliseLevel(config.log_level, warnings);
  warnings.push(...unknownKeys(config, defaults).map((key) => `unknown configuration key "${key}" (ignored)`));
  config.reverse_cache = checkedReverseCache(config.reverse_cache, warnings);
  return { config, warnings };
}

function fromRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(packageRoot, path);
}

function readYaml(file: string, warnings: string[], required: boolean): Record<string, any> {
  if (!existsSync(file)) {
    if (required) throw new Error(`configuration file not found: ${file}`);
    warnings.push(`configuration file ${file} not found, using built-in defaults`);
    return {};
  }
  const parsed = parseYaml(readFileSync(file, 'utf8'));
  if (parsed == null) return {};
  if (!isPlainObject(parsed)) throw new Error(`configuration file ${file} must hold a mapping`);
  return parsed;
}

/** `*.yml` files of the extra dir, dotfiles ignored; the alphabetically first file wins (wazo rule). */
function readExtraFiles(dir: string, warnings: string[]): Record<string, any>[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml') && !name.startsWith('.'))
    .sort()
    .reverse()
    .map((name) => readYaml(join(dir, name), warnings, true));
}

const levels: Record<string, string> = {
  critical: 'fatal', fatal: 'fatal', error: 'error', warning: 'warn', warn: 'warn', info: 'info', debug: 'debug', trace: 'trace',
};
function normaliseLevel(level: unknown, warnings: string[]): string {
  const found = levels[String(level).toLowerCase()];
  if (!found) warnings.push(`unknown log_level "${String(level)}", using info`);
  return found ?? 'info';
}

function unknownKeys(config: Record<string, any>, known: Record<string, any>, prefix = ''): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const path = prefix + key;
    if (openKeys.includes(path)) continue;
    if (!(key in known)) found.push(path);
    else if (isPlainObject(value) && isPlainObject(known[key])) found.push(...unknownKeys(value, known[key], path + '.'));
  }
  return found;
}
