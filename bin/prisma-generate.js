#!/usr/bin/env node
// Generates the Prisma client (run after `npm install` and before the tests).
//
// Prisma 7's CLI checks that a schema engine binary is at hand before it generates, and downloads one
// when none is; generating needs no engine, and this install may have no way to download, so the check
// is pointed at a file that exists. Migrations are applied elsewhere (store/migrations.ts).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const cli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || __filename,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const run = spawnSync(process.execPath, [cli, 'generate'], { cwd: path.join(__dirname, '..'), env, stdio: 'inherit' });
process.exit(run.status ?? 1);
