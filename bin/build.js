#!/usr/bin/env node
// `npm run build`: the package as installed elsewhere. dist/ holds the compiled JavaScript with its
// type declarations, the generated Prisma client and the migrations, laid out as in the sources, so
// every path a module takes from its own directory holds in both.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

fs.rmSync(dist, { recursive: true, force: true });
run([path.join(__dirname, 'prisma-generate.js')]);
run([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
fs.cpSync(path.join(root, 'generated', 'prisma'), path.join(dist, 'generated', 'prisma'), { recursive: true });
for (const name of ['schema.prisma', 'migrations', 'migrate.config.ts', 'cli-preload.js']) {
  fs.cpSync(path.join(root, 'prisma', name), path.join(dist, 'prisma', name), { recursive: true });
}
fs.chmodSync(path.join(dist, 'bin', 'erp-approvals.js'), 0o755);
