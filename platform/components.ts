/** Builds the parts every process shares from the configuration, so each is wired one way. */
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { createApi, type HealthCheck } from '../api/app';
import { ApprovalDesk, DEFAULT_EXPORT_POLICY } from '../services/approval-desk';
import { Intake } from '../services/intake';
import { HttpErp } from '../connectors/http';
import { SandboxErp } from '../connectors/sandbox';
import type { ErpTransport } from '../connectors/transport';
import { erpProfile, type ErpProfile, type ErpSettings } from '../domain/erp-profiles';
import type { Db } from '../store/prisma';
import type { Config } from './config';

export function erpTransport(config: Config, db: Db): ErpTransport {
  if (config.ERP_CONNECTOR === 'http') return new HttpErp(config.ERP_HTTP_URL as string, config.ERP_HTTP_SECRET as string);
  return new SandboxErp(db);
}

export function erpSetup(config: Config): { profile: ErpProfile; settings: ErpSettings } {
  return { profile: erpProfile(config.ERP_PROFILE), settings: { erpIdFromChangeOrderNumber: config.ERP_ID_FROM_CHANGE_ORDER_NUMBER } };
}

export function temporalAddress(config: Config): string {
  return config.TEMPORAL_ADDRESS ?? 'localhost:7233';
}

export function approvalDesk(config: Config, db: Db, client: Client): ApprovalDesk {
  return new ApprovalDesk({ db, client, taskQueue: config.TEMPORAL_TASK_QUEUE, ...erpSetup(config), exportPolicy: DEFAULT_EXPORT_POLICY });
}

export function healthChecks(db: Db, client: Client): HealthCheck[] {
  return [
    { name: 'database', check: async () => void (await db.$queryRawUnsafe('SELECT 1')) },
    { name: 'temporal', check: async () => void (await client.connection.workflowService.getSystemInfo({})) },
  ];
}

/** The API listening on PORT, with the desk and intake wired to this process's database and Temporal client. */
export async function listenApi(config: Config, db: Db, client: Client, apiToken: string): Promise<Server> {
  const app = createApi({ db, desk: approvalDesk(config, db, client), intake: new Intake(db), apiToken, health: healthChecks(db, client) });
  const server = app.listen(config.PORT);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}
