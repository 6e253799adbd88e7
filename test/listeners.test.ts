/**
 * The Bolt listeners on their own, called as Bolt calls them (ack, body, action or view, client,
 * logger), with a fake Web API client and a stand-in desk: what is acked, in what order, and the Block
 * Kit that is sent. The signed-HTTP tests (slack-bot.test.ts) run the same listeners end to end.
 */
import { decisionClicked } from '../bot/listeners/actions/decision-clicked';
import { decisionSubmitted } from '../bot/listeners/views/decision-submitted';
import type { BotDeps } from '../bot/deps';
import { ACTIONS, itemKey } from '../bot/views/buttons';
import { MODALS, REASON_BLOCK, DESCRIPTION_BLOCK } from '../bot/views/modals';
import { NotAwaitingDecision } from '../domain/errors';
import { REASON_REQUIRED } from '../domain/text';
import type { ItemView } from '../services/item-view';
import { ccoItem, PAT } from './support/items';

const item = ccoItem({
  ref: 'CO-7',
  number: '007',
  createdBy: PAT,
  lines: [{ ...ccoItem().lines[0]!, amountCents: 125_050 }],
});

/** The item as the desk answers a precheck: in review, nothing frozen shown. */
const view = {
  type: 'cco',
  ref: 'CO-7',
  projectRef: 'P-1',
  title: 'Extra rebar',
  item,
  erp: { status: 'ReadyToExport', statusLabel: 'Ready to Export', round: 1, reviewed: null },
  review: null,
  history: [],
} as unknown as ItemView;

/** A Web API client that records every call and answers ok. */
function fakeClient() {
  const calls: { method: string; args: any }[] = [];
  const record = (method: string) => async (args: any) => {
    calls.push({ method, args });
    return { ok: true };
  };
  return {
    calls,
    client: {
      views: { open: record('views.open') },
      chat: { postEphemeral: record('chat.postEphemeral'), postMessage: record('chat.postMessage') },
    } as any,
  };
}

const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };

/** A desk whose answers each test sets, and which notes what it was asked. */
function fakeDeps(desk: Record<string, (...args: any[]) => Promise<unknown>>) {
  const asked: any[][] = [];
  const wrapped = Object.fromEntries(
    Object.entries(desk).map(([name, answer]) => [
      name,
      async (...args: any[]) => {
        asked.push([name, ...args]);
        return answer(...args);
      },
    ]),
  );
  const deps = { desk: wrapped, directory: { userIdFor: async (slackId: string) => `dir-${slackId}` } } as unknown as BotDeps;
  return { deps, asked };
}

function click(actionId: string, value: string, channel: string | null = 'C-APPROVERS') {
  const order: string[] = [];
  const ack = jest.fn(async () => void order.push('ack'));
  const body = { user: { id: 'UDANA' }, trigger_id: 'trig-1', ...(channel ? { channel: { id: channel } } : {}) };
  return { order, ack, args: { ack, body, action: { action_id: actionId, value }, logger } };
}

function submit(
  callbackId: string,
  values: Record<string, string>,
  metadata: unknown = { type: 'cco', ref: 'CO-7', channel: 'C-APPROVERS', round: 1 },
) {
  const ack = jest.fn(async (_answer?: unknown) => undefined);
  const state = {
    values: Object.fromEntries(Object.entries(values).map(([block, value]) => [block, { value: { type: 'plain_text_input', value } }])),
  };
  const body = { user: { id: 'UDANA' } };
  return {
    ack,
    args: { ack, body, view: { callback_id: callbackId, private_metadata: JSON.stringify(metadata), state }, logger },
  };
}

describe('a click on Accept or Reject', () => {
  test('is acked first, checked by the desk for the directory user, then opens the modal for that item', async () => {
    const { deps, asked } = fakeDeps({ precheck: async () => view });
    const { client, calls } = fakeClient();
    const { order, ack, args } = click(ACTIONS.accept, itemKey({ type: 'cco', ref: 'CO-7' }));
    const checked = deps.desk.precheck.bind(deps.desk);
    deps.desk.precheck = async (...a: Parameters<typeof checked>) => {
      order.push('precheck');
      return checked(...a);
    };

    await decisionClicked(deps)({ ...args, client } as any);

    expect(ack).toHaveBeenCalledWith();
    expect(order).toEqual(['ack', 'precheck']);
    expect(asked).toEqual([['precheck', 'accept', 'cco', 'CO-7', 'dir-UDANA']]);
    expect(calls.map((c) => c.method)).toEqual(['views.open']);
    const { trigger_id, view: modal } = calls[0]!.args;
    expect(trigger_id).toBe('trig-1');
    expect(modal).toMatchObject({ type: 'modal', callback_id: MODALS.accept, submit: { text: 'Export' } });
    // The round it shows goes with the decision: a later round's version is not approved from it.
    expect(JSON.parse(modal.private_metadata)).toEqual({ type: 'cco', ref: 'CO-7', channel: 'C-APPROVERS', round: 1 });
    expect(modal.blocks[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: expect.stringContaining('CO-7 · Extra rebar') },
    });
    expect(JSON.stringify(modal.blocks)).toContain('$1,250.50');
    expect(modal.blocks.at(-1)).toMatchObject({ type: 'input', block_id: DESCRIPTION_BLOCK, optional: true });
  });

  test('Reject opens the modal that asks what must be fixed', async () => {
    const { deps } = fakeDeps({ precheck: async () => view });
    const { client, calls } = fakeClient();
    await decisionClicked(deps)({ ...click(ACTIONS.reject, itemKey({ type: 'cco', ref: 'CO-7' })).args, client } as any);
    const modal = calls[0]!.args.view;
    expect(modal).toMatchObject({ callback_id: MODALS.reject, title: { text: 'Reject CO-7' }, submit: { text: 'Reject' } });
    expect(modal.blocks.at(-1)).toMatchObject({ type: 'input', block_id: REASON_BLOCK, label: { text: 'Reason for the rejection' } });
    expect(modal.blocks.at(-1).optional).toBeUndefined();
  });

  test('that the desk refuses opens nothing and tells only the clicker why, in the channel', async () => {
    const refusal = new NotAwaitingDecision('commitment change order CO-7 is Synced, so it cannot be accepted.', 'Synced');
    const { deps } = fakeDeps({
      precheck: async () => {
        throw refusal;
      },
    });
    const { client, calls } = fakeClient();
    await decisionClicked(deps)({ ...click(ACTIONS.accept, itemKey({ type: 'cco', ref: 'CO-7' })).args, client } as any);
    expect(calls).toEqual([
      {
        method: 'chat.postEphemeral',
        args: {
          channel: 'C-APPROVERS',
          user: 'UDANA',
          text: ':no_entry: commitment change order CO-7 is Synced, so it cannot be accepted.',
        },
      },
    ]);
  });

  test('from App Home (no channel) is answered in a direct message', async () => {
    const { deps } = fakeDeps({
      precheck: async () => {
        throw new NotAwaitingDecision('Rejected already.', 'Rejected');
      },
    });
    const { client, calls } = fakeClient();
    await decisionClicked(deps)({ ...click(ACTIONS.reject, itemKey({ type: 'cco', ref: 'CO-7' }), null).args, client } as any);
    expect(calls).toEqual([{ method: 'chat.postMessage', args: { channel: 'UDANA', text: ':no_entry: Rejected already.' } }]);
  });

  test('on a button that points at no item asks nothing of the desk', async () => {
    const { deps, asked } = fakeDeps({ precheck: async () => view });
    const { client, calls } = fakeClient();
    await decisionClicked(deps)({ ...click(ACTIONS.accept, 'bogus:CO-7').args, client } as any);
    await decisionClicked(deps)({ ...click(ACTIONS.accept, 'cco:').args, client } as any);
    expect(asked).toEqual([]);
    expect(calls.map((c) => c.args.text)).toEqual([
      ':no_entry: That button no longer points at an item.',
      ':no_entry: That button no longer points at an item.',
    ]);
  });

  test('Retry export decides at once, without a modal, and says where the result shows', async () => {
    const { deps, asked } = fakeDeps({ decision: async () => ({ status: 'Exporting' }) });
    const { client, calls } = fakeClient();
    await decisionClicked(deps)({ ...click(ACTIONS.retryExport, itemKey({ type: 'cco', ref: 'CO-7' })).args, client } as any);
    expect(asked).toEqual([['decision', 'retry-export', 'cco', 'CO-7', { by: 'dir-UDANA' }]]);
    expect(calls).toEqual([
      {
        method: 'chat.postEphemeral',
        args: { channel: 'C-APPROVERS', user: 'UDANA', text: ':repeat: Export of CO-7 retried. The review message shows the result.' },
      },
    ]);
  });

  test('an unexpected failure is an apology, not a stack trace', async () => {
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { deps } = fakeDeps({
        precheck: async () => {
          throw new Error('connection reset');
        },
      });
      const { client, calls } = fakeClient();
      await decisionClicked(deps)({ ...click(ACTIONS.accept, itemKey({ type: 'cco', ref: 'CO-7' })).args, client } as any);
      expect(calls[0]!.args.text).toMatch(/^:warning: Something went wrong on our side and nothing was changed\./);
      expect(calls[0]!.args.text).not.toContain('connection reset');
      expect(quiet).toHaveBeenCalled();
    } finally {
      quiet.mockRestore();
    }
  });
});

describe('a submitted decision modal', () => {
  test('a rejection without a reason is refused inside the modal, and nothing is decided', async () => {
    for (const blank of ['', '   ', '\u200b\u200b']) {
      const { deps, asked } = fakeDeps({ decision: async () => ({}) });
      const { ack, args } = submit(MODALS.reject, { [REASON_BLOCK]: blank });
      await decisionSubmitted(deps)({ ...args, client: fakeClient().client } as any);
      expect(ack).toHaveBeenCalledWith({ response_action: 'errors', errors: { [REASON_BLOCK]: REASON_REQUIRED } });
      expect(asked).toEqual([]);
    }
  });

  test('a rejection with a reason closes the modal, then goes to the round with the reason', async () => {
    const { deps, asked } = fakeDeps({ decision: async () => ({ status: 'Rejected' }) });
    const { client, calls } = fakeClient();
    const { ack, args } = submit(MODALS.reject, { [REASON_BLOCK]: 'Split the labor out.' });
    await decisionSubmitted(deps)({ ...args, client } as any);
    expect(ack).toHaveBeenCalledWith();
    expect(asked).toEqual([['decision', 'reject', 'cco', 'CO-7', { by: 'dir-UDANA', reason: 'Split the labor out.', round: 1 }]]);
    expect(calls).toEqual([]);
  });

  test('an acceptance carries its optional description', async () => {
    const { deps, asked } = fakeDeps({ decision: async () => ({ status: 'Exporting' }) });
    const { args } = submit(MODALS.accept, { [DESCRIPTION_BLOCK]: 'Checked against the contract.' });
    await decisionSubmitted(deps)({ ...args, client: fakeClient().client } as any);
    expect(asked).toEqual([
      ['decision', 'accept', 'cco', 'CO-7', { by: 'dir-UDANA', description: 'Checked against the contract.', round: 1 }],
    ]);
  });

  test('a decision the round refuses (another approver was first) is told privately where the modal was opened', async () => {
    const { deps } = fakeDeps({
      decision: async () => {
        throw new NotAwaitingDecision('commitment change order CO-7 is already being accepted by Sam.', 'ReadyToExport');
      },
    });
    const { client, calls } = fakeClient();
    await decisionSubmitted(deps)({ ...submit(MODALS.accept, {}).args, client } as any);
    expect(calls).toEqual([
      {
        method: 'chat.postEphemeral',
        args: { channel: 'C-APPROVERS', user: 'UDANA', text: ':no_entry: commitment change order CO-7 is already being accepted by Sam.' },
      },
    ]);
  });

  test('a modal whose metadata was tampered with decides nothing', async () => {
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { deps, asked } = fakeDeps({ decision: async () => ({}) });
      const { client, calls } = fakeClient();
      const { ack, args } = submit(MODALS.accept, {}, { type: 'invoice', ref: 'CO-7' });
      await decisionSubmitted(deps)({ ...args, client } as any);
      expect(ack).toHaveBeenCalledWith();
      expect(asked).toEqual([]);
      expect(calls.map((c) => c.method)).toEqual(['chat.postMessage']);
    } finally {
      quiet.mockRestore();
    }
  });
});
