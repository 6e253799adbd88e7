// Loaded into Prisma 6.19's CLI (store/migrations.ts). Its WebAssembly schema engine leaves a
// 10-second timer running after `migrate deploy` has finished, which holds the CLI open that long.
// Long timers are made not to keep the process alive by themselves: while the engine still waits on
// the database, its open connection does.
const start = globalThis.setTimeout;
globalThis.setTimeout = function setTimeout(callback, delay, ...args) {
  const timer = start(callback, delay, ...args);
  if (delay >= 5000) timer.unref();
  return timer;
};
