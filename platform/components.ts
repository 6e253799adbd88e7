/** Builds the parts every process shares from the configuration, so each is wired one way. */
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
