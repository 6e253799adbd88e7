/**
 * Text PostgreSQL can store: no NUL character (text and jsonb refuse U+0000), and well-formed UTF-16
 * (an unpaired surrogate would be silently replaced on its way to UTF-8, so what is stored would not be
 * what was sent).
 */
// eslint-disable-next-line no-control-regex -- NUL is the character refused here.
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(text: string): boolean {
  return !NUL.test(text) && isWellFormed(text);
}

/** "Commitment change order CO-7" from "commitment change order CO-7": the start of a sentence or a title. */
export function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** Every surrogate in a pair. */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

export const UNSTORABLE_TEXT = 'must not contain NUL characters or unpaired surrogates';

/** Text from outside our control (an ERP's answer), made storable: NUL and unpaired surrogates become U+FFFD. */
export function storableText(text: string): string {
  return text.replace(new RegExp(NUL.source, 'g'), '\uFFFD').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

/** The longest rejection or void reason (Slack's modal takes as many). */
export const REASON_MAX = 2000;

export const REASON_REQUIRED = 'A reason is required: tell the creator what to fix.';

/** Why a reason will not do, in words for the person who typed it; undefined when it will. */
export function reasonProblem(reason: string): string | undefined {
  if (!reason.trim()) return REASON_REQUIRED;
  if (reason.length > REASON_MAX) return `Keep the reason to ${REASON_MAX} characters (it has ${reason.length}).`;
  if (!isStorableText(reason))
    return 'The reason holds characters that cannot be stored (a NUL or half of a surrogate pair): type it again.';
  return undefined;
}
