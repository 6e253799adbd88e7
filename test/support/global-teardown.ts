import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__erpTestEnv;
  if (!state) return;
  await state.env.teardown();
  fs.rmSync(state.dir, { recursive: true, force: true });
}
