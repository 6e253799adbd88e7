import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Prisma 7's CLI only generates the client here (bin/prisma-generate.js). Migrations are applied by
// Prisma 6.19's CLI through the PostgreSQL driver adapter: store/migrations.ts.
export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
});
