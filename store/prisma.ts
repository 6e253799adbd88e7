import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient, type ErpRecord } from '../generated/prisma';
import { isDriverAdapterError } from '@prisma/driver-adapter-utils';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, UnknownItem } from '../domain/errors';
import { itemName, type ItemType } from '../domain/item-types';

export interface PoolSettings {
  /** Connections this process may hold at once (each process has its own pool). */
  size: number;
  /** How long a query waits for a free connection before it fails (and the API answers 503). */
  acquireTimeoutMs: number;
}

export const DEFAULT_POOL: PoolSettings = { size: 10, acquireTimeoutMs: 10_000 };

export function createDb(databaseUrl: string, pool: PoolSettings = DEFAULT_POOL) {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: pool.size,
    connectionTimeoutMillis: pool.acquireTimeoutMs,
    idleTimeoutMillis: 30_000,
    // Shows which process holds a connection in pg_stat_activity: its entry point (worker, bot, …).
    application_name: `erp-approvals:${path.basename(process.argv[1] ?? 'node').replace(/\.[cm]?[jt]s$/, '')}`.slice(0, 63),
  });
  return new PrismaClient({ adapter });
}

export type Db = ReturnType<typeof createDb>;

/** Answers once the database has run a statement (a readiness check). */
export async function ping(db: Db): Promise<void> {
  await db.$queryRawUnsafe('SELECT 1');
}
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/**
 * PostgreSQL's codes for a server that cannot serve now: shut down, restarting or starting up (57P0x),
 * connection failures (08xxx), too many connections (53300), read-only after a fail-over to a standby
 * (25006).
 */
const SERVER_GONE = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '53300', '25006']);
/** What node-postgres, the pool and the socket say when a connection breaks or none can be had. */
const CONNECTION_LOST =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|EPIPE)\b/i;
/** This process's pool had no free connection in time: retrying at once would only wait again. */
const POOL_EXHAUSTED = /timeout exceeded when trying to connect/i;
/**
 * Prisma's codes: cannot reach the server (P1001, P1002), it closed the connection (P1017), pool
 * timeout (P2024), no transaction could start in time (P2028), too many connections (P2037).
 */
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1017', 'P2024', 'P2028', 'P2037']);
/** Prisma's code for a write conflict or deadlock (PostgreSQL 40001/40P01). */
const PRISMA_WRITE_CONFLICT = 'P2034';

type Cause = { code?: unknown; message?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown };

/**
 * Walks an error's causes (Prisma's error, the adapter's error, node-postgres's error). A refusal of
 * ours or a workflow's failure is no database error, whatever words it quotes.
 */
function* causes(err: unknown): Generator<unknown> {
  for (let cause = err, depth = 0; cause && depth < 6; depth++) {
    if (cause instanceof DomainError || cause instanceof ApplicationFailure) return;
    yield cause;
    cause = (cause as Cause).meta?.driverAdapterError ?? (cause as Cause).cause;
  }
}

/**
 * True when the database could not be reached or used right now: the server is down or restarting, the
 * connection broke, or no connection was free in time (this process's pool, or the server's
 * max_connections). Nothing was written that will not be written again: the API answers 503 with
 * Retry-After, and Temporal retries the activity.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const cause of causes(err)) {
    if (isDriverAdapterError(cause)) {
      const kind = cause.cause.kind;
      if (kind === 'DatabaseNotReachable' || kind === 'ConnectionClosed' || kind === 'SocketTimeout' || kind === 'TooManyConnections')
        return true;
      if (kind === 'postgres' && SERVER_GONE.has(cause.cause.code)) return true;
    }
    const { code, message } = cause as Cause;
    if (typeof code === 'string' && (PRISMA_UNAVAILABLE.has(code) || SERVER_GONE.has(code))) return true;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code) && CONNECTION_LOST.test(code)) return true;
    if (typeof message === 'string' && CONNECTION_LOST.test(message)) return true;
  }
  return false;
}

function isPoolExhausted(err: unknown): boolean {
  for (const cause of causes(err)) {
    const { code, message } = cause as Cause;
    if (code === 'P2024' || code === 'P2028' || (typeof message === 'string' && POOL_EXHAUSTED.test(message))) return true;
  }
  return false;
}

/** Two transactions collided: a deadlock or serialization failure (PostgreSQL rolled one back), or a racing insert. */
function isCollision(err: unknown): boolean {
  for (const cause of causes(err)) {
    if (
      isDriverAdapterError(cause) &&
      (cause.cause.kind === 'TransactionWriteConflict' || cause.cause.kind === 'UniqueConstraintViolation')
    )
      return true;
    const { code } = cause as Cause;
    if (code === PRISMA_WRITE_CONFLICT || code === 'P2002' || code === '40001' || code === '40P01') return true;
  }
  return false;
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** attempt) + Math.random() * 50));
/** How long a transaction is tried again for an outage before the caller hears of it. */
const OUTAGE_RETRY_MS = 20_000;

/**
 * A read-then-write transaction (READ COMMITTED) that several processes can run at once. Where two
 * processes race for one item, the transaction first takes the item's row lock (`lockItem`), so the
 * reads that decide what to write cannot be overtaken.
 *
 * The whole transaction is run again when PostgreSQL rolled it back for a collision (a deadlock, a
 * serialization failure, or a unique key taken by a racing insert: the retry reads the winner's row and
 * answers as it would have had it come second), and while the server is unreachable (a restart or
 * fail-over: for OUTAGE_RETRY_MS at most). A full pool is not waited for again: the caller hears at
 * once (the API's 503). Every transaction here is idempotent (event keys, status checks), so one whose
 * COMMIT succeeded but whose answer was lost does nothing the second time and answers the same: `work`
 * is told `rerun` when an earlier run of this call got as far as its COMMIT, so it can first look for
 * what that run wrote and answer with it.
 */
export async function writeTransaction<T>(db: Db, work: (tx: Tx, run: { rerun: boolean }) => Promise<T>): Promise<T> {
  const started = Date.now();
  let reachedCommit = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(
        async (tx) => {
          const result = await work(tx, { rerun: reachedCommit });
          reachedCommit = true;
          return result;
        },
        { maxWait: 15_000, timeout: 30_000 },
      );
    } catch (err) {
      const outage = isDatabaseUnavailable(err) && !isPoolExhausted(err) && Date.now() - started < OUTAGE_RETRY_MS;
      if (!(isCollision(err) && attempt < 5) && !outage) throw err;
      await pause(attempt);
    }
  }
}

/**
 * Takes the row lock of an item's ERP record (`SELECT … FOR UPDATE`) for the rest of the transaction:
 * another process's send, decision, edit or void of the same item waits until this one commits, then
 * reads what it wrote. Returns the locked record, or undefined when the item does not exist yet (two
 * creations of one item then race on the unique key, and the loser is run again by writeTransaction).
 */
export async function lockItem(tx: Tx, type: ItemType, ref: string): Promise<ErpRecord | undefined> {
  const rows = await tx.$queryRaw<ErpRecord[]>(lockStatement(type, ref));
  return rows[0];
}

/**
 * Locks the ERP record of the commitment a change order belongs to, in one statement (the parent is
 * locked before the child, as intake locks them). Its ref, or null when there is no such change order.
 */
export async function lockCommitmentOf(tx: Tx, ccoRef: string): Promise<string | null> {
  const [row] = await tx.$queryRaw<{ itemRef: string }[]>(Prisma.sql`SELECT r."itemRef" FROM "ErpRecord" r
    JOIN "ChangeOrder" o ON o."commitmentRef" = r."itemRef" WHERE r."itemType" = 'commitment'::"ItemType" AND o.ref = ${ccoRef}
    FOR UPDATE OF r`);
  return row?.itemRef ?? null;
}

/** The locked ERP record of an item that must exist (it was read before the transaction). */
export async function lockRecord(tx: Tx, type: ItemType, ref: string): Promise<ErpRecord> {
  const record = await lockItem(tx, type, ref);
  if (!record) throw noSuchItem(type, ref);
  return record;
}

/**
 * `lockRecord` for one event's move, saying in the same statement whether that event's history entry
 * is already written (by an earlier run of it, whose answer was lost). The statement sees the entries
 * committed before it started: one written by a run it waited for the lock on shows only in the locked
 * record's status, so where that status refuses the move, ask `recordedEntry` again before refusing.
 */
export async function lockRecordFor(tx: Tx, type: ItemType, ref: string, eventKey: string): Promise<{ erp: ErpRecord; recorded: boolean }> {
  const [row] = await tx.$queryRaw<(ErpRecord & { eventRecorded: boolean })[]>(lockStatement(type, ref, eventKey));
  if (!row) throw noSuchItem(type, ref);
  const { eventRecorded, ...erp } = row;
  return { erp, recorded: eventRecorded };
}

/** `SELECT … FOR UPDATE` of an item's ERP record; with an event key, also whether its history entry exists. */
function lockStatement(type: ItemType, ref: string, eventKey?: string): Prisma.Sql {
  const recorded =
    eventKey === undefined
      ? Prisma.empty
      : Prisma.sql`, EXISTS (SELECT 1 FROM "HistoryEntry" h WHERE h."eventKey" = ${eventKey}) AS "eventRecorded"`;
  return Prisma.sql`SELECT r.*${recorded} FROM "ErpRecord" r WHERE r."itemType" = ${type}::"ItemType" AND r."itemRef" = ${ref} FOR UPDATE OF r`;
}

function noSuchItem(type: ItemType, ref: string): UnknownItem {
  return new UnknownItem(`There is no ${itemName(type, ref)}.`);
}
