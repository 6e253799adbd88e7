import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { BotDeps } from '../deps';
import { LINK_ACTION } from '../views/item-blocks';
import { BUTTONS } from '../views/buttons';
import { MODALS } from '../views/modals';
import { decisionClicked } from './actions/decision-clicked';
import { erpCommand } from './commands/erp';
import { appHomeOpened } from './events/app-home-opened';
import { decisionSubmitted } from './views/decision-submitted';
import { ACCEPT_SELECTED_ACTION, SELECT_ACTION } from '../views/queue';
import { acceptManySubmitted, acceptSelectedClicked } from './actions/accept-selected';

export function registerListeners(app: App, deps: BotDeps): void {
  // Queue buttons carry `:type:ref` after the action id so ids stay unique in one message.
  const buttons = new RegExp(
    `^(${Object.values(BUTTONS)
      .map((b) => b.actionId)
      .join('|')})(:|$)`,
  );
  app.action<BlockAction<ButtonAction>>(buttons, decisionClicked(deps));
  // "View Online" opens the source system in the browser; Slack still reports the click.
  app.action(LINK_ACTION, async ({ ack }) => ack());
  // App Home's checkboxes report each tick; the selection is read when "Accept selected…" is pressed.
  app.action(new RegExp(`^${SELECT_ACTION}:`), async ({ ack }) => ack());
  app.action(ACCEPT_SELECTED_ACTION, acceptSelectedClicked(deps));
  app.view(MODALS.acceptMany, acceptManySubmitted(deps));
  app.view(MODALS.accept, decisionSubmitted(deps));
  app.view(MODALS.reject, decisionSubmitted(deps));
  app.command('/erp', erpCommand(deps));
  app.event('app_home_opened', appHomeOpened(deps));
}
