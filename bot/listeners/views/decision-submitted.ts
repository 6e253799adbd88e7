/**
 * The Accept and Reject modals. A missing or overlong reason is shown inside the modal; otherwise the
 * modal closes at once and the decision goes to the round. Losing a race is told privately.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { BotDeps } from '../../deps';
import { afterAck } from '../../after-ack';
import { refusalText, tell } from '../../replies';
import { reasonProblem } from '../../../domain/text';
import { DESCRIPTION_BLOCK, metadataJson, MODALS, ModalContext, REASON_BLOCK } from '../../views/modals';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

function inputValue(values: SubmitArgs['view']['state']['values'], block: string): string {
  return values[block]?.value?.value ?? '';
}

export function decisionSubmitted(deps: BotDeps) {
  return async ({ ack, body, view, client }: SubmitArgs): Promise<void> => {
    const context = ModalContext.safeParse(metadataJson(view.private_metadata));
    const reject = view.callback_id === MODALS.reject;
    const reason = inputValue(view.state.values, REASON_BLOCK);
    const problem = reject ? reasonProblem(reason) : undefined;
    if (problem) {
      await ack({ response_action: 'errors', errors: { [REASON_BLOCK]: problem } });
      return;
    }
    await ack();
    const channel = context.success ? context.data.channel : undefined;
    await afterAck(async () => {
      try {
        if (!context.success) throw new Error('modal without its item');
        const { type, ref, round } = context.data;
        const by = await deps.directory.userIdFor(body.user.id);
        if (reject) {
          await deps.desk.decision('reject', type, ref, { by, reason, round });
        } else {
          await deps.desk.decision('accept', type, ref, { by, description: inputValue(view.state.values, DESCRIPTION_BLOCK), round });
        }
      } catch (err) {
        await tell(client, body.user.id, channel, refusalText(err));
      }
    });
  };
}
