import fs from 'node:fs';
import path from 'node:path';
import { SLACK_EVENTS_PATH } from '../bot/app';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'manifest.json'), 'utf8'));

test('the Slack app manifest declares what the bot uses, all on one endpoint', () => {
  expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/erp']);
  expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  expect(manifest.settings.interactivity.is_enabled).toBe(true);
  expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
  // users.info / users.lookupByEmail with emails, posting and DMs, the audit export's upload.
  expect(manifest.oauth_config.scopes.bot).toEqual(
    expect.arrayContaining(['chat:write', 'commands', 'users:read', 'users:read.email', 'im:write', 'files:write']),
  );
  const urls = [
    manifest.settings.interactivity.request_url,
    manifest.settings.event_subscriptions.request_url,
    ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
  ];
  for (const url of urls) expect(new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
});
