import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  if (globalThis.__erpTestDir) fs.rmSync(globalThis.__erpTestDir, { recursive: true, force: true });
}
