/**
 * `npm run seed`: loads the demo company (services/demo-company.ts) into DATABASE_URL. Safe to run again:
 * everything is an upsert by the source's ids, and items already with accounting are left as they are.
 */
import { ChangeOrderBody, CommitmentBody, CostCodeBody, ProjectBody, UserBody, VendorBody } from '../domain/intake';
import * as company from '../services/demo-company';
import { ItemLocked } from '../domain/errors';
import { loadConfig } from '../runtime/config';
import { displayUrl } from '../store/database';
import { databaseUrl, openDatabase } from '../runtime/database';
import { applyMigrations } from '../store/migrations';
import { runMain } from '../runtime/startup';
import { Intake } from '../store/intake';

runMain(async () => {
  const config = loadConfig();
  const url = databaseUrl(config);
  await applyMigrations(url);
  const db = openDatabase(config, url);
  const intake = new Intake(db);
  const kept: string[] = [];
  const item = async (ref: string, upsert: () => Promise<unknown>) => {
    try {
      await upsert();
    } catch (err) {
      if (!(err instanceof ItemLocked)) throw err;
      kept.push(ref);
    }
  };

  for (const [id, body] of Object.entries(company.users)) await intake.upsertUser(id, UserBody.parse(body));
  for (const [id, body] of Object.entries(company.vendors)) await intake.upsertVendor(id, VendorBody.parse(body));
  for (const [code, body] of Object.entries(company.costCodes)) await intake.upsertCostCode(code, CostCodeBody.parse(body));
  await item(company.PROJECT, () => intake.upsertProject(company.PROJECT, ProjectBody.parse(company.project)));
  for (const [ref, body] of Object.entries(company.commitments))
    await item(ref, () => intake.upsertCommitment(ref, CommitmentBody.parse(body)));
  for (const [ref, body] of Object.entries(company.changeOrders))
    await item(ref, () => intake.upsertChangeOrder(ref, ChangeOrderBody.parse(body)));

  console.log(`Seeded ${displayUrl(url)}:`);
  console.log(
    `  people      ${Object.entries(company.users)
      .map(([id, u]) => `${u.name} (${id})`)
      .join(', ')}`,
  );
  console.log(`  project     ${company.PROJECT} ${company.project.name}; commitments ${Object.keys(company.commitments).join(', ')}`);
  for (const [ref, co] of Object.entries(company.changeOrders)) console.log(`  ${ref.padEnd(11)} ${co.note}`);
  if (kept.length > 0) console.log(`  left as they are (with accounting): ${kept.join(', ')}`);
  console.log("Match people to Slack by giving them your Slack accounts' emails (PUT /api/v1/users/{id}).");
  await db.$disconnect();
});
