import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_DATABASE_URL = 'file:./data/erp-approvals.db';

/**
 * Turns a SQLite `DATABASE_URL` (`file:./data/x.db`, `file:/abs/x.db` or a bare path) into the file path
 * better-sqlite3 opens. Relative paths are taken from the working directory, and the folder is created
 * so a fresh checkout needs no manual step.
 */
export function sqliteFilePath(url: string): string {
  const raw = url.startsWith('file:') ? url.slice('file:'.length) : url;
  if (raw === ':memory:') return raw;
  const file = path.resolve(raw.split('?')[0] ?? raw);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}
