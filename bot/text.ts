/**
 * Text for Slack. Everything that goes into a mrkdwn field is a `Mrkdwn`, made by the `md` template:
 * each value placed in it is escaped (`&`, `<`, `>`) unless it is `Mrkdwn` already, so a ref or a title
 * like `<!channel>` pings nobody, whichever path shows it. The block builders in `views/blocks.ts` take
 * only `Mrkdwn` and cut it to Slack's limits after escaping.
 */

export class Mrkdwn {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

type Value = string | number | null | undefined | Mrkdwn;

export function esc(text: string | null | undefined): string {
  return (text ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const piece = (value: Value) => (value instanceof Mrkdwn ? value.text : esc(value === null || value === undefined ? '' : String(value)));

/** mrkdwn from a template literal: the literal parts are ours, every value is escaped. */
export function md(strings: TemplateStringsArray, ...values: Value[]): Mrkdwn {
  return new Mrkdwn(strings.reduce((out, literal, i) => out + literal + (i < values.length ? piece(values[i]) : ''), ''));
}

/** Values (escaped as `md` does) joined by a separator of ours. */
export function joinMd(values: readonly Value[], separator: string): Mrkdwn {
  return new Mrkdwn(values.map(piece).join(separator));
}

/** A time every reader sees in their own time zone, with a UTC fallback. */
export function slackDate(iso: string): Mrkdwn {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  const fallback = `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return new Mrkdwn(`<!date^${seconds}^{date_short_pretty} at {time}|${fallback}>`);
}

/** Plain text shortened to `max` characters with an ellipsis (before escaping: for plain_text fields and values). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * mrkdwn shortened to `max` characters after escaping, never cutting an entity (`&amp;`) or a Slack
 * token (`<!date^…>`, `<@U…>`) in half, with an ellipsis where it was cut.
 */
export function cutMrkdwn(value: Mrkdwn, max: number): Mrkdwn {
  const { text } = value;
  if (text.length <= max) return value;
  let cut = text.slice(0, max - 1);
  const entity = cut.lastIndexOf('&');
  if (entity > cut.lastIndexOf(';')) cut = cut.slice(0, entity);
  const token = cut.lastIndexOf('<');
  if (token > cut.lastIndexOf('>')) cut = cut.slice(0, token);
  return new Mrkdwn(`${cut}…`);
}
