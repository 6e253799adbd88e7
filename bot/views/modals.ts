/** The Accept and Reject modals. Their private metadata says which item and which message. */
import { REASON_MAX } from '../../domain/text';
import type { View } from '@slack/types';
import { z } from 'zod';
import { ITEM_TYPES } from '../../domain/item-types';
import type { ItemView } from '../../services/item-view';
import { truncate } from '../text';
import { itemEssentials } from './item-blocks';

export const MODALS = { accept: 'erp_accept_modal', reject: 'erp_reject_modal' } as const;
export const REASON_BLOCK = 'reason';
export const DESCRIPTION_BLOCK = 'description';

export const ModalContext = z.object({
  type: z.enum(ITEM_TYPES),
  ref: z.string().min(1),
  channel: z.string().optional(),
  /** The round the modal shows: a decision on it is refused once the item has been sent again. */
  round: z.number().int().optional(),
});
export type ModalContext = z.infer<typeof ModalContext>;

export function acceptModal(view: ItemView, context: ModalContext): View {
  return {
    type: 'modal',
    callback_id: MODALS.accept,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: 'Accept for export' },
    submit: { type: 'plain_text', text: 'Export' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...itemEssentials(view),
      {
        type: 'input',
        block_id: DESCRIPTION_BLOCK,
        optional: true,
        label: { type: 'plain_text', text: 'Description' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: REASON_MAX },
      },
    ],
  };
}

export function rejectModal(view: ItemView, context: ModalContext): View {
  return {
    type: 'modal',
    callback_id: MODALS.reject,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: truncate(`Reject ${view.ref}`, 24) },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...itemEssentials(view),
      {
        type: 'input',
        block_id: REASON_BLOCK,
        label: { type: 'plain_text', text: 'Reason for the rejection' },
        hint: { type: 'plain_text', text: 'The creator receives this at once: say what must be fixed before it can be accepted.' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true },
      },
    ],
  };
}
