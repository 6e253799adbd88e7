/**
 * Everything the plugin and the client-side API need, built one way from the product's own settings
 * (the environment variables the README lists, checked by the same schema), for a host's process.
 */
import type { ActivityDeps } from '../activities';
import { erpSetup, erpTransport, notifier } from '../runtime/components';
import { ConfigError, ConfigSchema, loadConfig, type Config } from '../runtime/config';
import { openDatabase } from '../runtime/database';

/** The settings by their environment names; numbers and flags may be given as such. */
export type ErpApprovalsSettings = { [Name in keyof typeof ConfigSchema.shape]?: string | number | boolean };

export type ErpApprovalsConfig = Config;

export interface ErpApprovals extends ActivityDeps {
  /** The checked settings, defaults filled in. */
  readonly config: ErpApprovalsConfig;
  /** Closes the database pool; call it once the Worker and clients using these are done. */
  close(): Promise<void>;
}

/**
 * Settings only the product's own servers read. A host's process has its own PORT, HOST or API_TOKEN
 * for its own purposes; they are not ours to check.
 */
const SERVER_SETTINGS = new Set(['PORT', 'HOST', 'API_TOKEN', 'TEMPORAL_DEV_PORT', 'TEMPORAL_UI_PORT', 'EMBEDDED_DATABASE_PORT']);

/** A settings object as the environment would hold it: strings, unset values and server settings left out. */
function asEnvironment(settings: ErpApprovalsSettings | NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(settings))
    if (value !== undefined && value !== null && !SERVER_SETTINGS.has(name)) env[name] = String(value);
  return env;
}

/**
 * The settings the environment holds, by name, for a settings object that changes some of them:
 * `createErpApprovals({ ...settingsFromEnvironment(), DATABASE_URL: erpDatabaseUrl })`.
 */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): ErpApprovalsSettings {
  return Object.fromEntries(Object.keys(ConfigSchema.shape).flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]])));
}

/**
 * Checks the settings (all problems at once, as a ConfigError) and builds the database client, the
 * company's ERP rules, the ERP connector and the notifier. DATABASE_URL is required: the embedded
 * database is the product's own start-up's, never a host's.
 */
export function createErpApprovals(settings: ErpApprovalsSettings | NodeJS.ProcessEnv = process.env): ErpApprovals {
  // A settings object names only settings: a misspelt one would otherwise leave its default in place unseen.
  if (settings !== process.env) {
    const unknown = Object.keys(settings).filter((name) => !Object.hasOwn(ConfigSchema.shape, name));
    if (unknown.length > 0)
      throw new ConfigError(unknown.map((name) => `${name}: not a setting (the settings are those of the README's Configuration)`));
  }
  const config = loadConfig(asEnvironment(settings));
  if (!config.DATABASE_URL)
    throw new ConfigError([
      'DATABASE_URL: DATABASE_URL is required (postgresql://user:password@host:5432/database, a database of its own for these tables)',
    ]);
  const db = openDatabase(config);
  return {
    config,
    db,
    ...erpSetup(config),
    transport: erpTransport(config, db),
    notifier: notifier(config, db),
    close: () => db.$disconnect(),
  };
}
