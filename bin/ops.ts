/** Operator commands: status and release of an item's round; export, restore and import of the database. */
import { Client, Connection } from '@temporalio/client';
import { InvalidRequest } from '../domain/errors';
import { isItemType } from '../domain/item-types';
import { erpSetup, temporalConnection } from '../runtime/components';
import { loadConfig } from '../runtime/config';
import { runMain } from '../runtime/startup';
import { itemView } from '../services/item-view';
import { releaseItem, roundStatus } from '../services/operations';
import { exportDatabase, exportFile, loadRows, sqliteFile, TABLES, type TableCounts } from '../store/transfer';
import { displayUrl } from '../store/database';
import { databaseUrl, openDatabase } from '../runtime/database';
import { applyMigrations } from '../store/migrations';

const USAGE = [
  'usage: npm run ops -- status <project|commitment|cco> <ref>',
  '       npm run ops -- release <project|commitment|cco> <ref> --reason "why" [--force]',
  '       npm run ops -- backup <file>          (every table, from one snapshot, while the product runs)',
  '       npm run ops -- restore <file>         (into an empty database)',
  '       npm run ops -- import-sqlite <file>   (the SQLite database of an earlier release, into an empty database)',
].join('\n');

const summary = (counts: TableCounts) =>
  TABLES.filter((table) => counts[table] > 0)
    .map((table) => `${table} ${counts[table]}`)
    .join(', ') || 'no rows';

runMain(async () => {
  const [command, type, ref, ...rest] = process.argv.slice(2);
  if ((command === 'backup' || command === 'restore' || command === 'import-sqlite') && type && !ref) {
    const url = databaseUrl(loadConfig());
    if (command === 'backup') {
      console.log(`Exported ${displayUrl(url)} to ${type}: ${summary(await exportDatabase(url, type))}.`);
      return;
    }
    await applyMigrations(url);
    const source = command === 'restore' ? await exportFile(type) : await sqliteFile(type);
    console.log(
      `Loaded ${type} into ${displayUrl(url)} in one transaction, every table's count matching: ${summary(await loadRows(url, source))}.`,
    );
    return;
  }
  if (!command || !type || !ref || !isItemType(type)) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  const db = openDatabase(config);
  const connection = await Connection.connect(temporalConnection(config));
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  try {
    if (command === 'status') {
      const view = await itemView(db, type, ref, erpSetup(config));
      console.log(
        `${type} ${ref}: ${view.erp.statusLabel} (round ${view.erp.round}, workflow ${view.erp.workflowId}: ${await roundStatus(client, type, ref)})`,
      );
      for (const entry of view.history)
        console.log(`  ${entry.at} ${entry.action}${entry.by ? ` by ${entry.by.name}` : ''}${entry.reason ? ` — ${entry.reason}` : ''}`);
    } else if (command === 'release') {
      const reasonAt = rest.indexOf('--reason');
      const reason = reasonAt >= 0 ? rest[reasonAt + 1] : undefined;
      if (!reason) throw new InvalidRequest('Say why with --reason "…": it goes into the change history.');
      const released = await releaseItem(db, client, type, ref, { reason, force: rest.includes('--force') });
      console.log(`${type} ${ref}: ${released.from} → ${released.to}. Its creator can fix and send it again.`);
    } else {
      console.error(USAGE);
      process.exitCode = 2;
    }
  } finally {
    await connection.close();
    await db.$disconnect();
  }
});
