/**
 * The notices as emails, for people without Slack: pure functions from an item view to a subject, a
 * plain-text part and an HTML part saying the same. Everything that came from people or items is
 * escaped in the HTML part.
 */
import type { DailySummary, SummaryEntry } from '../activities/types';
import { localDateTimeText } from '../domain/calendar';
import { ITEM_TYPE_INFO, itemName } from '../domain/item-types';
import { deciderWords, formatMoney, type Person } from '../domain/items';
import { reviewFacts } from '../domain/review';
import { stepLabel } from '../domain/routing';
import { capitalized } from '../domain/text';
import type { Transition } from '../domain/statuses';
import type { ItemView } from '../services/item-view';

export interface Email {
  subject: string;
  text: string;
  html: string;
}

/** What an email is made of: a heading, paragraphs, a table of facts, a link; lists for the summary. */
interface EmailParts {
  subject: string;
  heading: string;
  paragraphs: string[];
  facts?: [string, string][];
  lists?: { heading: string; lines: string[] }[];
  link?: { text: string; url: string };
  footer: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A name or title on one line: a line break or control character in it cannot start a line of its own that looks like part of the email. */
// eslint-disable-next-line no-control-regex -- control characters are what is replaced here.
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');

/** Only web links are links; anything else an intake sent as a URL is shown as text. */
const isWebLink = (url: string) => /^https?:\/\/[^\s]+$/i.test(url);

function compose(parts: EmailParts): Email {
  const heading = oneLine(parts.heading);
  const text = [
    heading,
    '',
    ...parts.paragraphs.flatMap((p) => [p, '']),
    ...(parts.facts ?? []).map(([label, value]) => `${label}: ${oneLine(value)}`),
    ...(parts.facts?.length ? [''] : []),
    ...(parts.lists ?? []).flatMap((list) => [list.heading, ...list.lines.map((line) => `  - ${line}`), '']),
    ...(parts.link ? [`${parts.link.text}: ${parts.link.url}`, ''] : []),
    '-- ',
    parts.footer,
  ].join('\n');
  const cell = 'style="padding:2px 12px 2px 0;vertical-align:top"';
  const html = [
    '<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1d1c1d">',
    `<h2 style="font-size:18px">${escapeHtml(heading)}</h2>`,
    ...parts.paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
    ...(parts.facts?.length
      ? [
          '<table role="presentation" style="border-collapse:collapse">',
          ...parts.facts.map(
            ([label, value]) => `<tr><th align="left" ${cell}>${escapeHtml(label)}</th><td ${cell}>${escapeHtml(oneLine(value))}</td></tr>`,
          ),
          '</table>',
        ]
      : []),
    ...(parts.lists ?? []).flatMap((list) => [
      `<h3 style="font-size:15px">${escapeHtml(list.heading)}</h3>`,
      list.lines.length > 0 ? `<ul>${list.lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : '',
    ]),
    ...(parts.link
      ? [
          isWebLink(parts.link.url)
            ? `<p><a href="${escapeHtml(parts.link.url)}">${escapeHtml(parts.link.text)}</a></p>`
            : `<p>${escapeHtml(`${parts.link.text}: ${parts.link.url}`)}</p>`,
        ]
      : []),
    `<p style="color:#616061;font-size:12px">${escapeHtml(parts.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: parts.subject, text, html };
}

/** "Commitment" for commitments and their change orders, as the ERP Integrations emails say; "Project" for projects. */
const noun = (view: Pick<ItemView, 'type'>) => (view.type === 'project' ? 'Project' : 'Commitment');
const title = (view: Pick<ItemView, 'type' | 'ref'>) => capitalized(itemName(view.type, view.ref));
const footer = (company: string) =>
  `${company} · ERP accounting approval. You get this by email because you have no Slack account linked, or your company sends every notice by email.`;

function when(at: string, timeZone: string): string {
  return `${localDateTimeText(new Date(at), timeZone).slice(0, 16)} (${timeZone})`;
}

function lastBy(view: ItemView, moves: readonly Transition[]) {
  return [...view.history].reverse().find((entry) => entry.transition !== null && moves.includes(entry.transition));
}

/** The facts of the item as the approvers review them: the round's frozen snapshot while it is with accounting. */
function itemFacts(view: ItemView): [string, string][] {
  const facts = view.review && view.erp.locked ? view.review.facts : reviewFacts(view.item);
  const rows: [string, string][] = [
    ['Item', title(view)],
    ['Title', facts.title],
    ['Project', facts.projectRef],
  ];
  if (facts.vendor) rows.push(['Vendor', facts.vendor]);
  if (facts.totalCents !== null) rows.push(['Amount', formatMoney(facts.totalCents)]);
  rows.push(['Created by', facts.creator.name]);
  const lines = facts.lines.slice(0, 10).map((l) => `${l.lineNo}. ${l.description} ${formatMoney(l.amountCents)}`);
  if (facts.lines.length > 10) lines.push(`…and ${facts.lines.length - 10} more`);
  if (lines.length > 0) rows.push(['Lines', lines.join('; ')]);
  rows.push(['ERP status', view.erp.statusLabel]);
  return rows;
}

const viewOnline = (view: ItemView) => (view.url ? { text: 'View Online', url: view.url } : undefined);

/** The seeds' rejection email: who rejected it, why, and what to do next. */
export function rejectionEmail(view: ItemView, company: string, timeZone: string): Email {
  const rejected = lastBy(view, ['reject']);
  const by = oneLine(rejected?.by ? deciderWords(rejected.by, rejected.onBehalfOf) : 'an accounting approver');
  return compose({
    subject: `${company}: ERP ${noun(view)} Rejection Notification`,
    heading: `${title(view)} · ${view.title} was rejected`,
    paragraphs: [
      `${title(view)} was rejected by ${by}${rejected ? ` on ${when(rejected.at, timeZone)}` : ''}.`,
      `Rejection comments: ${rejected?.reason ?? view.erp.lastRejectionReason ?? ''}`,
      ITEM_TYPE_INFO[view.type].voidable
        ? 'Fix what the approver asked for in the source system, then re-send it for acceptance, or void it if it will not go to the ERP.'
        : 'Fix what the approver asked for in the source system, then re-send it for acceptance.',
    ],
    facts: itemFacts(view),
    link: viewOnline(view),
    footer: footer(company),
  });
}

export function syncedEmail(view: ItemView, company: string): Email {
  return compose({
    subject: `${company}: ERP ${noun(view)} Synced Notification`,
    heading: `${title(view)} · ${view.title} is in the ERP`,
    paragraphs: [`${title(view)} was exported and is in the ERP now (ERP id ${view.erp.erpId ?? 'not given'}).`],
    facts: itemFacts(view),
    link: viewOnline(view),
    footer: footer(company),
  });
}

/** To the approvers: the ERP refused the export for good; any approver may retry it or reject the item. */
export function exportFailedEmail(view: ItemView, company: string, message: string): Email {
  return compose({
    subject: `${company}: ERP ${noun(view)} Export Failure Notification`,
    heading: `${title(view)} · ${view.title} could not be exported`,
    paragraphs: [
      `The ERP refused the export of ${title(view)}: ${message}`,
      'Retry the export once the cause is fixed, or reject the item so its creator can fix it: in Slack, or through the ERP Integrations tool of your source system.',
    ],
    facts: itemFacts(view),
    link: viewOnline(view),
    footer: footer(company),
  });
}

/** Why an approver is asked: a new round, their step's turn, an escalation to them, or a reminder. */
export interface ReviewReason {
  kind: 'review' | 'turn' | 'escalated' | 'reminder';
  /** The step of the round's route they are asked at, when the route names approvers. */
  step?: number;
  /** The approver a delegate is asked for. */
  forWhom?: Person;
  /** Since when the step waits (a reminder). */
  since?: string;
  /** How long it waited before it was escalated (words). */
  after?: string;
}

export function reviewRequestEmail(view: ItemView, company: string, timeZone: string, reason: ReviewReason): Email {
  const steps = view.steps.length;
  const where = reason.step !== undefined && steps > 1 ? ` (${stepLabel(reason.step, steps, view.steps[reason.step]?.name ?? '')})` : '';
  const away = reason.forWhom ? ` on behalf of ${oneLine(reason.forWhom.name)}, who is away` : '';
  const first: Record<ReviewReason['kind'], string> = {
    review: `${title(view)} was sent to accounting for acceptance and waits for your decision${away}${where}.`,
    turn: `${title(view)} has reached your step and waits for your decision${away}${where}.`,
    escalated: `${title(view)} waited ${reason.after ?? 'too long'} of working time and was escalated to you${where}.`,
    reminder: `${title(view)} still waits for your decision${away}${where}${reason.since ? `, since ${when(reason.since, timeZone)}` : ''}.`,
  };
  const sentBy = view.erp.sentBy ? ` Sent by ${oneLine(view.erp.sentBy.name)}.` : '';
  const paragraphs = [first[reason.kind] + sentBy];
  const previous = view.erp.round > 1 ? lastBy(view, ['reject']) : undefined;
  if (previous?.reason) paragraphs.push(`It is a re-send. The previous round was rejected: ${previous.reason}`);
  paragraphs.push('Accept or reject it in Slack, or through the ERP Integrations tool of your source system.');
  return compose({
    subject: `${company}: ERP ${noun(view)} ${reason.kind === 'reminder' ? 'Review Reminder' : 'Review Request'}`,
    heading: `${title(view)} · ${view.title} waits for your decision`,
    paragraphs,
    facts: itemFacts(view),
    link: viewOnline(view),
    footer: footer(company),
  });
}

function summaryLine(entry: SummaryEntry): string {
  const amount = entry.amount ? ` · ${entry.amount}` : '';
  const detail = entry.detail ? ` (${entry.detail})` : '';
  return oneLine(`${capitalized(itemName(entry.type, entry.ref))} · ${entry.title ?? ''}${amount} · project ${entry.projectRef}${detail}`);
}

export function dailySummaryEmail(summary: DailySummary, company: string): Email {
  const list = (heading: string, { total, items }: DailySummary['readyToExport']) => ({
    heading: `${heading} (${total})`,
    lines: [...items.map(summaryLine), ...(total > items.length ? [`…and ${total - items.length} more`] : [])],
  });
  const counts = `${summary.readyToExport.total} Ready to Export, ${summary.failedToExport.total} Failed to Export`;
  return compose({
    subject: `${company}: ERP Integrations Daily Summary for ${summary.date}`,
    heading: `ERP Integrations Daily Summary · ${summary.date}`,
    paragraphs: [`${counts} waiting for accounting at ${company}.`],
    lists: [list('Ready to Export', summary.readyToExport), list('Failed to Export', summary.failedToExport)],
    footer: footer(company),
  });
}
