/** The Accept and Reject modals. Their private metadata says which item and which message. */
import { REASON_MAX } from '../../domain/text';
import type { KnownBlock, View } from '@slack/types';
import { z } from 'zod';
import { ITEM_TYPES } from '../../domain/item-types';
import type { ItemView } from '../../services/item-view';
import { joinMd, md, truncate } from '../text';
import { BULK_MAX } from '../../domain/actions';
import { section } from './blocks';
import { itemEssentials } from './item-blocks';

export const MODALS = { accept: 'erp_accept_modal', reject: 'erp_reject_modal', acceptMany: 'erp_accept_many_modal' } as const;
export const REASON_BLOCK = 'reason';
export const DESCRIPTION_BLOCK = 'description';

/** A modal's private metadata as JSON, or undefined when it is not (the schema then refuses it). */
export function metadataJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

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

/** The items selected in App Home for one bulk accept. */
export const BulkContext = z.object({
  items: z
    .array(z.object({ type: z.enum(ITEM_TYPES), ref: z.string().min(1) }))
    .min(1)
    .max(BULK_MAX),
});
export type BulkContext = z.infer<typeof BulkContext>;

/** Accept the selected items: which ones, and one optional description for all. */
export function acceptManyModal(context: BulkContext): View {
  const refs = context.items.map((item) => item.ref);
  return {
    type: 'modal',
    callback_id: MODALS.acceptMany,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: truncate(`Accept ${refs.length} items`, 24) },
    submit: { type: 'plain_text', text: 'Export' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        md`Each is accepted on its own, with every check of a single accept: one refused does not stop the others.\n${joinMd(refs, ', ')}`,
      ),
      {
        type: 'input',
        block_id: DESCRIPTION_BLOCK,
        optional: true,
        label: { type: 'plain_text', text: 'Description (for every item)' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: REASON_MAX },
      },
    ],
  };
}

/** The bulk accept's modal while it runs, then with what came of each item. */
export function acceptManyProgress(count: number): View {
  return { type: 'modal', title: { type: 'plain_text', text: 'Accepting…' }, blocks: [section(md`Accepting ${count} items…`)] };
}

export function acceptManyResults(blocks: KnownBlock[]): View {
  return { type: 'modal', title: { type: 'plain_text', text: 'Accepted' }, close: { type: 'plain_text', text: 'Done' }, blocks };
}
