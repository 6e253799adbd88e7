import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { DEFAULT_DATABASE_URL, sqliteFilePath } from './platform/database-url';

// The CLI wants DATABASE_URL even where it only talks through the adapter; without it it tries a download.
process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    return new PrismaBetterSQLite3({ url: sqliteFilePath(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL) });
  },
});
