/** App Home: the same queue as `/erp queue`, with buttons, refreshed each time it is opened. */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { DomainError } from '../../../domain/errors';
import type { BotDeps } from '../../deps';
import { queueFor } from '../../queue';
import { md } from '../../text';
import { section } from '../../views/blocks';
import { homeView, PER_LIST } from '../../views/queue';

type HomeArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

export function appHomeOpened(deps: BotDeps) {
  return async ({ event, client }: HomeArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    try {
      const userId = await deps.directory.userIdFor(event.user);
      const actor = await deps.desk.actor(userId);
      await client.views.publish({ user_id: event.user, view: homeView(await queueFor(deps, actor, PER_LIST.home), actor.name) });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [section(md`:wave: ${err.message}`)] },
      });
    }
  };
}
