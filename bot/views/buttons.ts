/**
 * The Slack buttons for the item actions, derived from the actions the item allows: an item's own
 * messages use its `availableActions` (state and ERP profile); queue lists, which hold only each
 * item's status, use what the status and item type allow, and the desk refuses the rest on click.
 */
import type { ActionsBlock, Button } from '@slack/types';
import type { ItemAction } from '../../domain/statuses';
import { truncate } from '../text';
import { button } from './blocks';

interface ButtonSpec {
  actionId: string;
  text: string;
  style: 'primary' | 'danger';
  /** A confirmation Slack shows before the click is sent, for what cannot be undone. */
  confirm?: (ref: string) => NonNullable<Button['confirm']>;
}

/** The actions a Slack button takes, in the order a message shows them. Retrieving is done from the source system. */
export const BUTTONS = {
  accept: { actionId: 'erp_accept', text: 'Accept', style: 'primary' },
  'retry-export': { actionId: 'erp_retry_export', text: 'Retry export', style: 'primary' },
  resend: { actionId: 'erp_resend', text: 'Re-send to ERP', style: 'primary' },
  reject: { actionId: 'erp_reject', text: 'Reject', style: 'danger' },
  void: {
    actionId: 'erp_void',
    text: 'Void',
    style: 'danger',
    confirm: (ref) => ({
      title: { type: 'plain_text', text: truncate(`Void ${ref}?`, 100) },
      text: { type: 'plain_text', text: 'It leaves every queue and can never be sent to the ERP again. Its history is kept.' },
      confirm: { type: 'plain_text', text: 'Void it' },
      deny: { type: 'plain_text', text: 'Keep it' },
      style: 'danger',
    }),
  },
} as const satisfies Partial<Record<ItemAction, ButtonSpec>>;

type ButtonAction = keyof typeof BUTTONS;

/** Action ids by name, for listeners and tests. */
export const ACTIONS = {
  accept: BUTTONS.accept.actionId,
  reject: BUTTONS.reject.actionId,
  retryExport: BUTTONS['retry-export'].actionId,
  resend: BUTTONS.resend.actionId,
  void: BUTTONS.void.actionId,
} as const;

/** The buttons as an actions block; none at all where there are no buttons (Slack refuses an empty one). */
export function actionsBlock(elements: ActionsBlock['elements']): ActionsBlock[] {
  return elements.length > 0 ? [{ type: 'actions', elements }] : [];
}

/** A button carries its item as `type:ref`. */
export function itemKey(item: { type: string; ref: string }): string {
  return `${item.type}:${item.ref}`;
}

export function parseItemKey(value: string): { type: string; ref: string } {
  const at = value.indexOf(':');
  return { type: value.slice(0, at), ref: value.slice(at + 1) };
}

/** The item action behind a clicked button's id (queue buttons append `:type:ref`), or undefined. */
export function buttonAction(actionId: string): ButtonAction | undefined {
  const id = actionId.split(':')[0];
  return (Object.keys(BUTTONS) as ButtonAction[]).find((action) => BUTTONS[action].actionId === id);
}

/**
 * Buttons for those of `wanted` that the item allows now (`available`), in the order of BUTTONS.
 * `idSuffix` keeps ids unique where one message lists several items.
 */
export function actionButtons(
  item: { type: string; ref: string },
  available: readonly ItemAction[],
  wanted: readonly ItemAction[],
  idSuffix = '',
): ActionsBlock['elements'] {
  return (Object.keys(BUTTONS) as ButtonAction[])
    .filter((action) => wanted.includes(action) && available.includes(action))
    .map((action) => {
      const spec: ButtonSpec = BUTTONS[action];
      return button(spec.text, `${spec.actionId}${idSuffix}`.slice(0, 255), itemKey(item), {
        style: spec.style,
        ...(spec.confirm ? { confirm: spec.confirm(item.ref) } : {}),
      });
    });
}
