/**
 * `npm run db:migrate`: applies the committed migrations to DATABASE_URL and says what it did. Run it
 * ahead of a rolling deploy: migrations only add to what the running release reads.
 */
import { loadConfig } from '../runtime/config';
import { displayUrl } from '../store/database';
import { databaseUrl } from '../runtime/database';
import { applyMigrations } from '../store/migrations';
import { runMain } from '../runtime/startup';

runMain(async () => {
  const url = databaseUrl(loadConfig());
  const applied = await applyMigrations(url);
  console.log(
    applied.length === 0 ? `${displayUrl(url)}: every migration is applied already.` : `${displayUrl(url)}: applied ${applied.join(', ')}.`,
  );
});
