/**
 * Accept, Reject, Retry export, Re-send and Void buttons, in the approvers' channel, a creator's direct
 * message or App Home. Permission and state are checked before any modal opens.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isItemType } from '../../../domain/item-types';
import { InvalidRequest } from '../../../domain/errors';
import type { BotDeps } from '../../deps';
import { afterAck } from '../../after-ack';
import { refusalText, tell } from '../../replies';
import { md } from '../../text';
import { buttonAction, parseItemKey } from '../../views/buttons';
import { acceptModal, rejectModal } from '../../views/modals';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

function target(value: string | undefined) {
  const { type, ref } = parseItemKey(value ?? '');
  if (!isItemType(type) || !ref) throw new InvalidRequest('That button no longer points at an item.');
  return { type, ref };
}

export function decisionClicked(deps: BotDeps) {
  return async ({ ack, body, action, client }: ButtonArgs): Promise<void> => {
    await ack();
    const channel = body.channel?.id;
    await afterAck(async () => {
      try {
        const { type, ref } = target(action.value);
        const userId = await deps.directory.userIdFor(body.user.id);
        switch (buttonAction(action.action_id)) {
          case 'accept': {
            const view = await deps.desk.precheck('accept', type, ref, userId);
            await client.views.open({
              trigger_id: body.trigger_id,
              view: acceptModal(view, { type, ref, channel, round: view.erp.round }),
            });
            return;
          }
          case 'reject': {
            const view = await deps.desk.precheck('reject', type, ref, userId);
            await client.views.open({
              trigger_id: body.trigger_id,
              view: rejectModal(view, { type, ref, channel, round: view.erp.round }),
            });
            return;
          }
          case 'retry-export': {
            await deps.desk.decision('retry-export', type, ref, { by: userId });
            await tell(client, body.user.id, channel, md`:repeat: Export of ${ref} retried. The review message shows the result.`);
            return;
          }
          case 'void': {
            const view = await deps.desk.void(type, ref, { by: userId });
            await tell(
              client,
              body.user.id,
              channel,
              md`:wastebasket: ${ref} is ${view.erp.statusLabel}: it has left every queue and will not be sent again.`,
            );
            return;
          }
          case 'resend': {
            const view = await deps.desk.resend(type, ref, userId);
            await tell(
              client,
              body.user.id,
              channel,
              md`:outbox_tray: ${ref} is re-sent: ${view.erp.statusLabel}. The accounting approvers have been told.`,
            );
            return;
          }
        }
      } catch (err) {
        await tell(client, body.user.id, channel, refusalText(err));
      }
    });
  };
}
