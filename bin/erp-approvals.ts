#!/usr/bin/env node
/**
 * `npx erp-approvals <command>`: the set-up a host's deployment runs before its Worker starts, from
 * any directory, with the same settings as the Worker (the environment).
 */
import { Client, Connection } from '@temporalio/client';
import { temporalAddress, temporalConnection } from '../runtime/components';
import { runMain } from '../runtime/startup';
import { StartupProblem } from '../store/startup-problem';
import { ensureDailySummarySchedule, ensureSearchAttributes } from '../index';
import { applyMigrationsSaying } from '../store/migrations';
import { ConfigError, loadConfig, type Config } from '../runtime/config';

const USAGE = `Usage: erp-approvals <command>

Commands (settings from the environment, as for the Worker):
  migrate             apply the database migrations to DATABASE_URL
  search-attributes   add ErpStatus, ErpItemType, ErpItemRef and ErpProject (Keyword) to TEMPORAL_NAMESPACE
  schedule            create or update the daily summary schedule (DAILY_SUMMARY_TIME, TZ, TEMPORAL_TASK_QUEUE)
  setup               all three, in that order`;

const COMMANDS = ['migrate', 'search-attributes', 'schedule', 'setup'] as const;

async function migrate(config: Config) {
  if (!config.DATABASE_URL)
    throw new ConfigError(['DATABASE_URL: DATABASE_URL is required (postgresql://user:password@host:5432/database)']);
  console.log(await applyMigrationsSaying(config.DATABASE_URL));
}

async function withTemporal(config: Config, work: (connection: Connection, namespace: string) => Promise<void>) {
  const connection = await Connection.connect(temporalConnection(config)).catch((err: Error) => {
    throw new StartupProblem(`Temporal at ${temporalAddress(config)} cannot be reached: ${err.message}. Check TEMPORAL_ADDRESS.`);
  });
  try {
    await work(connection, config.TEMPORAL_NAMESPACE);
  } catch (err) {
    // Temporal's answer in one line (an unknown namespace, an attribute of another type), not a stack.
    if (err instanceof Error)
      throw new StartupProblem(`Namespace "${config.TEMPORAL_NAMESPACE}" on ${temporalAddress(config)}: ${err.message}`);
    throw err;
  } finally {
    await connection.close();
  }
}

async function searchAttributes(config: Config) {
  await withTemporal(config, async (connection, namespace) => {
    const added = await ensureSearchAttributes(connection, namespace);
    console.log(
      added.length === 0
        ? `Namespace "${namespace}": the search attributes are there already.`
        : `Namespace "${namespace}": added ${added.join(', ')}.`,
    );
  });
}

async function schedule(config: Config) {
  await withTemporal(config, async (connection, namespace) => {
    await ensureDailySummarySchedule(new Client({ connection, namespace }), {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      time: config.DAILY_SUMMARY_TIME,
      timeZone: config.TZ,
    });
    console.log(`Daily summary scheduled at ${config.DAILY_SUMMARY_TIME} ${config.TZ} on task queue "${config.TEMPORAL_TASK_QUEUE}".`);
  });
}

runMain(async () => {
  const command = process.argv[2];
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return;
  }
  if (command === undefined) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  if (command === 'migrate' || command === 'setup') await migrate(config);
  if (command === 'search-attributes' || command === 'setup') await searchAttributes(config);
  if (command === 'schedule' || command === 'setup') await schedule(config);
});
