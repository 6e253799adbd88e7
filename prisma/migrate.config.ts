// Prisma 6.19's CLI, for migrations only (store/migrations.ts runs it). Prisma 7's migrate commands
// download a native schema engine; 6.19 applies migrations with its JavaScript engine through the
// PostgreSQL driver adapter (7.10's adapter: 6.19's own cannot read PostgreSQL's `name` columns).
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma6/config';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  // A copy of schema.prisma whose datasource names DATABASE_URL, as 6.19 requires.
  schema: process.env.ERP_MIGRATION_SCHEMA as string,
  migrations: { path: path.join(__dirname, 'migrations') },
  async adapter() {
    // allowExitOnIdle: the CLI exits when done instead of waiting out the pool's idle connections.
    return new PrismaPg({ connectionString: process.env.DATABASE_URL as string, allowExitOnIdle: true, idleTimeoutMillis: 100 });
  },
});
