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

/**
 * Characters a person cannot see: whitespace, control characters (NUL, ESC …), and the invisible ones
 * (zero-width, joiners, bidi controls, soft hyphen, byte-order mark, Hangul fillers, the blank Braille
 * pattern). A plain character class, so an OpenAPI pattern built from it is the rule enforced.
 */
export const INVISIBLE =
  '\\u0000-\\u0020\\u007F-\\u00A0\\u00AD\\u034F\\u061C\\u115F\\u1160\\u1680\\u17B4\\u17B5\\u180B-\\u180F' +
  '\\u2000-\\u200F\\u2028-\\u202F\\u205F-\\u206F\\u2800\\u3000\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF0-\\uFFFF';

/** At least one character a person can see. */
// eslint-disable-next-line no-misleading-character-class -- invisible and combining characters are listed one by one on purpose.
export const VISIBLE = new RegExp(`[^${INVISIBLE}]`);

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

/** Why an accept's optional note will not do (too long, or not storable); undefined when it will. */
export function noteProblem(note: string): string | undefined {
  if (note.length > REASON_MAX) return `Keep the note to ${REASON_MAX} characters (it has ${note.length}).`;
  if (!isStorableText(note)) return `The note ${UNSTORABLE_TEXT}.`;
  return undefined;
}

/** Why a reason will not do, in words for the person who typed it; undefined when it will. */
export function reasonProblem(reason: string): string | undefined {
  if (!VISIBLE.test(reason)) return REASON_REQUIRED;
  if (reason.length > REASON_MAX) return `Keep the reason to ${REASON_MAX} characters (it has ${reason.length}).`;
  if (!isStorableText(reason))
    return 'The reason holds characters that cannot be stored (a NUL or half of a surrogate pair): type it again.';
  return undefined;
}
