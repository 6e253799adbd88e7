/**
 * No connection to be had: this process's pool is full (DATABASE_POOL_SIZE, waited for up to
 * DATABASE_POOL_TIMEOUT_MS), or the server turns new connections away (max_connections, or a role's
 * connection limit). The API answers 503 with Retry-After, quickly, instead of hanging; and it answers
 * normally once connections are free again.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client } from 'pg';
import { createApi } from '../../api/app';
import { onServer } from '../../store/database';
import { ApprovalDesk } from '../../services/approval-desk';
import { Intake } from '../../store/intake';
import { createDb, type Db } from '../../store/prisma';
import { seedCompany } from '../support/fixtures';
import { FAST_EXPORT_POLICY, TEST_RULES, eventually, startHarness, type Harness } from '../support/harness';

const TOKEN = 'connections-test-token-0123';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await seedCompany(h.intake);
});

afterAll(() => h?.stop());

/** The API over its own database client, as a process with that pool would run it. */
async function apiOver(db: Db): Promise<{ base: string; close(): Promise<void> }> {
  const app = createApi({
    db,
    desk: new ApprovalDesk({
      db,
      client: h.client,
      taskQueue: h.taskQueue,
      ...TEST_RULES,
      exportPolicy: FAST_EXPORT_POLICY,
      transport: h.sandbox,
    }),
    intake: new Intake(db),
    apiToken: TOKEN,
    health: [{ name: 'database', check: async () => void (await db.$queryRawUnsafe('SELECT 1')) }],
  });
  const server: Server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const getItem = (base: string) => fetch(`${base}/api/v1/items/project/P-100`, { headers: { authorization: `Bearer ${TOKEN}` } });
const putVendor = (base: string) =>
  fetch(`${base}/api/v1/vendors/V-POOL`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Pool Co' }),
  });

test('a full pool answers 503 with Retry-After within its wait, and serves again when connections come back', async () => {
  const db = createDb(h.databaseUrl, { size: 2, acquireTimeoutMs: 500 });
  const api = await apiOver(db);
  try {
    // Two long requests hold both connections.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holders = [1, 2].map(() =>
      db.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe('SELECT 1');
          await released;
        },
        { timeout: 30_000 },
      ),
    );

    const started = Date.now();
    const refused = await getItem(api.base);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ error: 'database_unavailable', message: expect.stringContaining('nothing was changed') });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await putVendor(api.base)).status).toBe(503);
    expect(await h.db.vendor.count({ where: { id: 'V-POOL' } })).toBe(0);

    release();
    await Promise.all(holders);
    expect((await getItem(api.base)).status).toBe(200);
    expect((await putVendor(api.base)).status).toBe(200);
  } finally {
    await api.close();
    await db.$disconnect();
  }
});

test('a server that turns connections away (too many clients) answers 503, and the health check says unavailable', async () => {
  const role = `${process.env.TEST_DB_PREFIX}_limited`;
  await onServer(h.databaseUrl, (client) => client.query(`CREATE ROLE "${role}" LOGIN PASSWORD 'limited' CONNECTION LIMIT 3`));
  const grant = new Client({ connectionString: h.databaseUrl });
  await grant.connect();
  await grant.query(
    `GRANT ALL ON SCHEMA public TO "${role}"; GRANT ALL ON ALL TABLES IN SCHEMA public TO "${role}"; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "${role}"`,
  );
  await grant.end();

  const url = new URL(h.databaseUrl);
  url.username = role;
  url.password = 'limited';
  // The three connections the role may have, taken by other processes.
  const others = [1, 2, 3].map(() => new Client({ connectionString: url.toString() }));
  for (const other of others) await other.connect();
  const db = createDb(url.toString(), { size: 3, acquireTimeoutMs: 2_000 });
  const api = await apiOver(db);
  try {
    const refused = await getItem(api.base);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: 'database_unavailable' });
    const health = await fetch(`${api.base}/healthz`);
    expect(health.status).toBe(503);

    await Promise.all(others.map((other) => other.end()));
    // The server frees the slot once the other session has ended.
    await eventually(async () => (await getItem(api.base)).status === 200, 'the API to serve again');
  } finally {
    await api.close();
    await db.$disconnect();
    await Promise.all(others.map((other) => other.end().catch(() => undefined)));
    const owner = new Client({ connectionString: h.databaseUrl });
    await owner.connect();
    await owner.query(`DROP OWNED BY "${role}"`);
    await owner.end();
    await onServer(h.databaseUrl, (client) => client.query(`DROP ROLE "${role}"`));
  }
});
