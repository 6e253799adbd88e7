/**
 * App Home's bulk accept: "Accept selected…" reads the checked items from the home view's state and
 * opens one modal; its submission is acked at once (the modal says it is under way), then every item
 * is accepted on its own and the modal shows what came of each, and the home is refreshed.
 */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { BotDeps } from '../../deps';
import { afterAck } from '../../after-ack';
import { refusalText, tell } from '../../replies';
import { md } from '../../text';
import { isItemType, type ItemType } from '../../../domain/item-types';
import { BULK_MAX } from '../../../domain/actions';
import { queueFor } from '../../queue';
import { bulkBlocks } from '../../views/bulk';
import { parseItemKey } from '../../views/buttons';
import { acceptManyModal, acceptManyProgress, acceptManyResults, BulkContext, DESCRIPTION_BLOCK, metadataJson } from '../../views/modals';
import { homeView, PER_LIST, SELECT_ACTION } from '../../views/queue';

type ClickArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The items checked in a view's state: each checkbox's value is `type:ref`. */
function selectedItems(state: BlockAction['view']): { type: ItemType; ref: string }[] {
  const values = (state?.state?.values ?? {}) as Record<string, Record<string, { type?: string; selected_options?: { value: string }[] }>>;
  const keys = Object.values(values).flatMap((block) =>
    Object.entries(block)
      .filter(([actionId, element]) => actionId.startsWith(`${SELECT_ACTION}:`) && element.type === 'checkboxes')
      .flatMap(([, element]) => (element.selected_options ?? []).map((option) => option.value)),
  );
  return [...new Set(keys)].flatMap((key) => {
    const { type, ref } = parseItemKey(key);
    return isItemType(type) && ref ? [{ type, ref }] : [];
  });
}

export function acceptSelectedClicked(deps: BotDeps) {
  return async ({ ack, body, client }: ClickArgs): Promise<void> => {
    await ack();
    await afterAck(async () => {
      try {
        await deps.directory.userIdFor(body.user.id);
        const items = selectedItems(body.view);
        if (items.length === 0) {
          await tell(client, body.user.id, undefined, md`Tick the items to accept first, then press *Accept selected…*.`);
          return;
        }
        const context = BulkContext.parse({ items: items.slice(0, BULK_MAX) });
        await client.views.open({ trigger_id: body.trigger_id, view: acceptManyModal(context) });
      } catch (err) {
        await tell(client, body.user.id, undefined, refusalText(err));
      }
    });
  };
}

export function acceptManySubmitted(deps: BotDeps) {
  return async ({ ack, body, view, client }: SubmitArgs): Promise<void> => {
    const context = BulkContext.safeParse(metadataJson(view.private_metadata));
    if (!context.success) {
      await ack();
      return;
    }
    await ack({ response_action: 'update', view: acceptManyProgress(context.data.items.length) });
    await afterAck(async () => {
      try {
        const by = await deps.directory.userIdFor(body.user.id);
        const description = view.state.values[DESCRIPTION_BLOCK]?.value?.value ?? '';
        const results = await deps.desk.acceptMany(context.data.items, { by, ...(description.trim() ? { description } : {}) });
        await client.views.update({ view_id: view.id, view: acceptManyResults(bulkBlocks(results)) });
        const actor = await deps.desk.actor(by);
        await client.views.publish({ user_id: body.user.id, view: homeView(await queueFor(deps, actor, PER_LIST.home), actor.name) });
      } catch (err) {
        await tell(client, body.user.id, undefined, refusalText(err));
      }
    });
  };
}
