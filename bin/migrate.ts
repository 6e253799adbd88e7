/**
 * `npm run db:migrate`: applies the committed migrations to DATABASE_URL and says what it did. Run it
 * ahead of a rolling deploy: migrations only add to what the running release reads.
 */
import { loadConfig } from '../runtime/config';
import { databaseUrl } from '../runtime/database';
import { applyMigrationsSaying } from '../store/migrations';
import { runMain } from '../runtime/startup';

runMain(async () => {
  console.log(await applyMigrationsSaying(databaseUrl(loadConfig())));
});
