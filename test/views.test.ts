import { dailySummaryMessage, queueBlocks } from '../bot/views/queue';
import { reasonProblem } from '../domain/text';

const entries = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: 'cco' as const,
    ref: `CO-${i + 1}`,
    projectRef: 'P-1',
    title: `Change ${i + 1}`,
    detail: null,
  }));

test('a long queue shows its full count and the oldest few, within Slack block limits', () => {
  const blocks = queueBlocks(
    {
      approver: true,
      readyToExport: { total: 4000, items: entries(7) },
      failedToExport: { total: 0, items: [] },
      rejected: { total: 0, items: [] },
    },
    7,
  );
  const text = JSON.stringify(blocks);
  expect(text).toContain('Ready to Export (4000)');
  expect(text).toContain('…and 3993 more');
  expect(text).toContain('Failed to Export (0)');
  expect(blocks.length).toBeLessThanOrEqual(50);
});

test('the daily summary counts everything waiting and stays a valid message', () => {
  const message = dailySummaryMessage(
    { date: '2026-11-23', readyToExport: { total: 250, items: entries(10) }, failedToExport: { total: 12, items: entries(10) } },
    'Acme <Builders>',
  );
  expect(message.text).toBe(
    'Acme &lt;Builders&gt;: ERP Integrations Daily Summary for 2026-11-23: 250 Ready to Export, 12 Failed to Export',
  );
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  expect(JSON.stringify(message.blocks)).toContain('…and 240 more');
});

test('a rejection reason is checked inside the modal: required, bounded, and storable', () => {
  expect(reasonProblem('   ')).toContain('A reason is required');
  expect(reasonProblem('x'.repeat(5000))).toContain('Keep the reason to');
  expect(reasonProblem('Split the labor\u0000')).toContain('cannot be stored');
  expect(reasonProblem('Half a pair \ud83c')).toContain('cannot be stored');
  expect(reasonProblem('Crane \ud83c\udfd7 on line 2')).toBeUndefined();
});
