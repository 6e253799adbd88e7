/** Approval routing's rules as plain functions: which policy applies, where a round stands, whose turn it is. */
import { NotOnRoute, NotYourTurn } from '../domain/errors';
import {
  applicablePolicy,
  approvedAt,
  approverWords,
  delegatorFor,
  earlierStepRefusal,
  durationMinutes,
  withEscalations,
  policyApplies,
  policyProblems,
  quorumMet,
  roundApprovals,
  roundSteps,
  routeOf,
  routeProgress,
  scopeWords,
  stillWaitingFor,
  turnRefusal,
  undecidableSteps,
  waitingOn,
  DEFAULT_ROUTE,
  type ApprovalPolicy,
  type Route,
} from '../domain/routing';
import { PolicyBody } from '../domain/intake';
import { delegationActive, delegationProblems } from '../domain/delegation';
import { deciderWords } from '../domain/items';

const ann = { id: 'u-ann', name: 'Ann Lee' };
const bob = { id: 'u-bob', name: 'Bob Ray' };
const carl = { id: 'u-carl', name: 'Carl Diaz' };
const dee = { id: 'u-dee', name: 'Dee Ito' };
const eve = { id: 'u-eve', name: 'Eve Park' };

const policy = (id: string, appliesTo: ApprovalPolicy['appliesTo'] = {}): ApprovalPolicy => ({
  id,
  name: `Policy ${id}`,
  appliesTo,
  steps: [{ name: 'Accounting', approvers: ['u-ann'], quorum: 'any' }],
});

const co = (projectRef: string, totalCents: number | null) => ({ type: 'cco' as const, projectRef, totalCents });

describe('which policy applies', () => {
  test('types, projects and the minimum amount each narrow a policy; a project, with no total, never meets a minimum', () => {
    expect(policyApplies(policy('a', { types: ['commitment'] }), co('P1', 100))).toBe(false);
    expect(policyApplies(policy('a', { types: ['cco'] }), co('P1', 100))).toBe(true);
    expect(policyApplies(policy('a', { projects: ['P2'] }), co('P1', 100))).toBe(false);
    expect(policyApplies(policy('a', { projects: ['P1'] }), co('P1', 100))).toBe(true);
    expect(policyApplies(policy('a', { minAmountCents: 100 }), co('P1', 100))).toBe(true);
    expect(policyApplies(policy('a', { minAmountCents: 101 }), co('P1', 100))).toBe(false);
    expect(policyApplies(policy('a', { minAmountCents: 0 }), { type: 'project', projectRef: 'P1', totalCents: null })).toBe(false);
    expect(policyApplies(policy('a', {}), { type: 'project', projectRef: 'P1', totalCents: null })).toBe(true);
  });

  test('the most specific match wins: a project policy over a company one, then the highest minimum not above the total, then named types', () => {
    const company = policy('company');
    const big = policy('big', { minAmountCents: 1_000_000 });
    const bigger = policy('bigger', { minAmountCents: 5_000_000 });
    const coOnly = policy('co-only', { types: ['cco'] });
    const p1 = policy('p1', { projects: ['P1'] });
    const all = [company, big, bigger, coOnly, p1];
    expect(applicablePolicy(all, co('P1', 10))?.id).toBe('p1');
    expect(applicablePolicy(all, co('P2', 6_000_000))?.id).toBe('bigger');
    expect(applicablePolicy(all, co('P2', 2_000_000))?.id).toBe('big');
    expect(applicablePolicy(all, co('P2', 10))?.id).toBe('co-only');
    expect(applicablePolicy(all, { type: 'commitment', projectRef: 'P2', totalCents: 10 })?.id).toBe('company');
    expect(applicablePolicy([], co('P1', 10))).toBeNull();
    // Stored order does not matter; equal policies are ordered by id.
    expect(applicablePolicy([policy('b'), policy('a')], co('P1', 10))?.id).toBe('a');
    expect(applicablePolicy([...all].reverse(), co('P1', 10))?.id).toBe('p1');
  });

  test('a policy is described in words', () => {
    expect(scopeWords({ types: ['cco'], projects: ['P1', 'P2'], minAmountCents: 1_000_000 })).toBe(
      'commitment change orders in projects P1, P2 of $10,000.00 or more',
    );
    expect(scopeWords({})).toBe('every item in every project');
  });
});

describe('the policy body', () => {
  const body = (steps: unknown[], extra: object = {}) => PolicyBody.safeParse({ name: 'Large change orders', steps, ...extra });
  const problems = (steps: unknown[], extra: object = {}) => policyProblems(body(steps, extra).data!);

  test('steps need approvers and a known quorum; durations are working time without years or months; unknown fields are refused', () => {
    expect(body([{ name: 'PM', approvers: ['u-ann'] }]).success).toBe(true);
    expect(body([{ name: 'PM', approvers: ['u-ann'] }]).data?.steps[0]?.quorum).toBe('any');
    expect(body([]).success).toBe(false);
    expect(body([{ name: 'PM', approvers: [] }]).success).toBe(false);
    expect(body([{ name: 'PM', approvers: ['u-ann'], remindAfter: 'P1M' }]).success).toBe(false);
    expect(body([{ name: 'PM', approvers: ['u-ann'], remindAfter: 'P1DT4H30M' }]).success).toBe(true);
    expect(body([{ name: 'PM', approvers: ['u-ann'], quorum: 'most' }]).success).toBe(false);
    expect(body([{ name: 'PM', approvers: ['u-ann'] }], { appliesTo: { minAmount: '10000.50' } }).data?.appliesTo.minAmount).toBe(
      1_000_050,
    );
    expect(body([{ name: 'PM', approvers: ['u-ann'] }], { dryRun: true }).success).toBe(false);
    expect(durationMinutes('P1W')).toBe(7 * 24 * 60);
    expect(durationMinutes('PT1H30M')).toBe(90);
    expect(durationMinutes('P')).toBe(0);
  });

  test('what the schema cannot state is named by field: an approver twice or in two steps, escalation to the own step or without when or whom, a zero duration, a negative minimum', () => {
    expect(problems([{ name: 'PM', approvers: ['u-ann'], remindAfter: 'PT4H', escalateAfter: 'P1D', escalateTo: ['u-bob'] }])).toEqual([]);
    expect(problems([{ name: 'PM', approvers: ['u-ann', 'u-bob', 'u-ann'] }])).toEqual([
      { field: 'steps.0.approvers', message: 'names u-ann twice' },
    ]);
    expect(
      problems([
        { name: 'A', approvers: ['u-ann'] },
        { name: 'B', approvers: ['u-carl'], escalateTo: ['u-bob'] },
      ]),
    ).toEqual([{ field: 'steps.1.escalateTo', message: 'needs escalateAfter: when to add these approvers' }]);
    // One person would clear both steps; escalating to the step's own approver adds nobody.
    expect(
      problems([
        { name: 'A', approvers: ['u-ann', 'u-bob'] },
        { name: 'B', approvers: ['u-carl', 'u-bob'] },
      ]),
    ).toEqual([{ field: 'steps.1.approvers', message: 'names u-bob, an approver of step 1 too: each step needs other people' }]);
    expect(problems([{ name: 'A', approvers: ['u-ann'], escalateAfter: 'P1D', escalateTo: ['u-ann'] }])).toEqual([
      { field: 'steps.0.escalateTo', message: 'names u-ann, already an approver of this step' },
    ]);
    expect(problems([{ name: 'PM', approvers: ['u-ann'], escalateAfter: 'PT4H' }])).toEqual([
      { field: 'steps.0.escalateAfter', message: 'needs escalateTo: whom to add once it has passed' },
    ]);
    expect(problems([{ name: 'PM', approvers: ['u-ann'], remindAfter: 'PT0H' }])).toEqual([
      { field: 'steps.0.remindAfter', message: 'must be longer than zero' },
    ]);
    // A year at most: a longer wait is a typo, and the calendar could not place it.
    expect(problems([{ name: 'PM', approvers: ['u-ann'], remindAfter: 'P52W' }])).toEqual([]);
    expect(problems([{ name: 'PM', approvers: ['u-ann'], remindAfter: 'P9999W' }])).toEqual([
      { field: 'steps.0.remindAfter', message: 'must be at most a year of working time (P52W)' },
    ]);
    expect(problems([{ name: 'PM', approvers: ['u-ann'], remindAfter: 'PT8761H' }])[0]!.field).toBe('steps.0.remindAfter');
    expect(problems([{ name: 'PM', approvers: ['u-ann'] }], { appliesTo: { minAmount: -1 } })).toEqual([
      { field: 'appliesTo.minAmount', message: 'must not be negative' },
    ]);
  });
});

/** Two steps: one project manager of two, then both controllers. */
const route: Route = {
  policy: { id: 'large', name: 'Large change orders' },
  steps: [
    { name: 'Project managers', approvers: [ann, bob], quorum: 'any' },
    { name: 'Controllers', approvers: [carl, dee], quorum: 'all' },
  ],
};
const at = '2026-11-24T10:00:00.000Z';

describe('a round on its route', () => {
  test('a step ends when its quorum has approved; the next one waits; the rest are pending', () => {
    expect(routeProgress(route, []).current).toBe(0);
    expect(routeProgress(route, []).steps.map((s) => s.status)).toEqual(['waiting', 'pending']);
    const one = [{ step: 0, by: bob, at }];
    expect(routeProgress(route, one).current).toBe(1);
    const three = [...one, { step: 1, by: carl, at }];
    expect(routeProgress(route, three).current).toBe(1);
    expect(routeProgress(route, [...three, { step: 1, by: dee, at }]).current).toBeNull();
    expect(routeProgress(route, [...three, { step: 1, by: dee, at }]).steps.map((s) => s.status)).toEqual(['approved', 'approved']);
    expect(routeProgress(route, [], true).steps[0]?.status).toBe('rejected');
    expect(quorumMet(DEFAULT_ROUTE.steps[0]!, [eve])).toBe(true);
    expect(quorumMet(DEFAULT_ROUTE.steps[0]!, [])).toBe(false);
  });

  test('accept and reject belong to the step whose turn it is, in words that say whose it is', () => {
    const what = 'commitment change order CO-7';
    expect(turnRefusal(what, route, [], 'accept', ann)).toBeNull();
    expect(turnRefusal(what, route, [], 'reject', bob)).toBeNull();
    // A step-2 approver before step 1 has approved: not yet.
    const early = turnRefusal(what, route, [], 'accept', carl);
    expect(early).toBeInstanceOf(NotYourTurn);
    expect(early?.message).toBe(
      'commitment change order CO-7 is at step 1 of 2 (Project managers), waiting for Ann Lee or Bob Ray: ' +
        'Carl Diaz decides at step 2 (Controllers), so cannot accept it yet.',
    );
    expect(early?.details()).toEqual({ turn: { step: 'Project managers', stepNumber: 1, steps: 2, waitingFor: [ann, bob] } });
    // Someone the route does not name.
    const stranger = turnRefusal(what, route, [], 'reject', eve);
    expect(stranger).toBeInstanceOf(NotOnRoute);
    expect(stranger?.message).toContain(
      'Eve Park is not an approver on commitment change order CO-7\'s route (policy "Large change orders")',
    );
    // Step 1 has approved: its approvers are done, the controllers decide, each once.
    const afterStep1 = [{ step: 0, by: ann, at }];
    expect(turnRefusal(what, route, afterStep1, 'accept', bob)?.message).toContain(
      'Bob Ray decides at step 1 (Project managers), so cannot accept it any more.',
    );
    expect(turnRefusal(what, route, afterStep1, 'accept', carl)).toBeNull();
    const afterCarl = [...afterStep1, { step: 1, by: carl, at }];
    expect(turnRefusal(what, route, afterCarl, 'accept', carl)?.message).toBe(
      'Carl Diaz has already approved this step: commitment change order CO-7 is at step 2 of 2 (Controllers), waiting for Dee Ito.',
    );
    // Having approved, a controller may still reject.
    expect(turnRefusal(what, route, afterCarl, 'reject', carl)).toBeNull();
    // Retrying an export or retrieving does not depend on the route.
    expect(turnRefusal(what, route, [], 'retry-export', eve)).toBeNull();
    expect(turnRefusal(what, route, [], 'retrieve', eve)).toBeNull();
    // The default route: any accounting approver.
    expect(turnRefusal(what, DEFAULT_ROUTE, [], 'accept', eve)).toBeNull();
  });

  test("the latest round's steps are read from its history: approvals since the last send, the rejection where it happened", () => {
    const history = [
      { action: 'send', actor: eve, at, step: null },
      { action: 'approve', actor: ann, at, step: 0 },
      { action: 'reject', actor: carl, at, step: 1, reason: 'Split the labor' },
      { action: 'resend', actor: eve, at, step: null },
      { action: 'approve', actor: bob, at, step: 0 },
    ];
    expect(roundApprovals(history)).toEqual([{ step: 0, by: bob, at }]);
    expect(roundSteps(route, history, 'ReadyToExport')).toEqual([
      {
        name: 'Project managers',
        status: 'approved',
        quorum: 'any',
        approvers: [ann, bob],
        decisions: [{ by: bob, action: 'approved', at }],
      },
      { name: 'Controllers', status: 'waiting', quorum: 'all', approvers: [carl, dee], decisions: [] },
    ]);
    const rejected = roundSteps(route, history.slice(0, 3), 'Rejected');
    expect(rejected.map((s) => s.status)).toEqual(['approved', 'rejected']);
    expect(rejected[1]?.decisions).toEqual([{ by: carl, action: 'rejected', at, reason: 'Split the labor' }]);
    expect(roundSteps(route, history.slice(0, 2), 'Retrieved').map((s) => s.status)).toEqual(['approved', 'stopped']);
    // Never sent: no round, no steps. A round from before routing: one step, any approver.
    expect(roundSteps(route, [], 'NotSent')).toEqual([]);
    expect(roundSteps(null, [history[0]!, { action: 'accept', actor: ann, at, step: null }], 'Exporting')).toEqual([
      { name: 'Accounting approval', status: 'approved', quorum: 'any', approvers: [], decisions: [{ by: ann, action: 'approved', at }] },
    ]);
  });

  test('a policy becomes a route with its people named', () => {
    const frozen = routeOf(
      {
        id: 'p',
        name: 'P',
        appliesTo: {},
        steps: [
          { name: 'S', approvers: ['u-ann', 'u-gone'], quorum: 'all', remindAfter: 'PT4H', escalateAfter: 'P1D', escalateTo: ['u-bob'] },
        ],
      },
      new Map([
        ['u-ann', ann],
        ['u-bob', bob],
      ]),
    );
    expect(frozen).toEqual({
      policy: { id: 'p', name: 'P' },
      steps: [
        {
          name: 'S',
          approvers: [ann, { id: 'u-gone', name: 'u-gone' }],
          quorum: 'all',
          remindAfter: 'PT4H',
          escalateAfter: 'P1D',
          escalateTo: [bob],
        },
      ],
    });
    expect(routeOf(null, new Map())).toBe(DEFAULT_ROUTE);
  });
});

describe('escalation', () => {
  const route: Route = {
    policy: { id: 'big', name: 'Big' },
    steps: [{ name: 'Controllers', approvers: [ann, bob], quorum: 'all', escalateAfter: 'P2D', escalateTo: [carl] }],
  };
  const sent = { action: 'send', actor: eve, at: '2026-11-20T16:00:00Z' };
  const escalation = { action: 'escalate', actor: null, at: '2026-11-24T16:00:00Z', step: 0 };

  test('before it escalates, the person it escalates to is told when they may decide', () => {
    const refusal = turnRefusal('CO-1', route, [], 'accept', carl);
    expect(refusal).toBeInstanceOf(NotYourTurn);
    expect(refusal!.message).toContain(
      'Carl Diaz is added to this step only once it has waited P2D of working time, so cannot accept it yet',
    );
    expect(approverWords(route.steps[0]!)).toBe('Ann Lee and Bob Ray');
  });

  test('once escalated (from the history), the added person decides the step alone, whatever its quorum', () => {
    const escalated = withEscalations(route, [sent, escalation]);
    expect(escalated.steps[0]!.escalated).toBe(true);
    expect(withEscalations(route, [escalation, sent]).steps[0]!.escalated).toBeUndefined(); // an earlier round's
    expect(turnRefusal('CO-1', escalated, [], 'accept', carl)).toBeNull();
    expect(approverWords(escalated.steps[0]!)).toBe('Ann Lee and Bob Ray, or Carl Diaz (escalated)');
    expect(quorumMet(escalated.steps[0]!, [ann])).toBe(false);
    expect(quorumMet(escalated.steps[0]!, [carl])).toBe(true);
    expect(quorumMet(route.steps[0]!, [carl])).toBe(false);
    const steps = roundSteps(route, [sent, escalation], 'ReadyToExport');
    expect(steps[0]).toMatchObject({ status: 'waiting', escalated: true, escalateTo: [carl], escalateAfter: 'P2D' });
  });
});

describe('delegation', () => {
  const route: Route = {
    policy: { id: 'p', name: 'P' },
    steps: [
      { name: 'Both', approvers: [ann, bob], quorum: 'all' },
      { name: 'Carl', approvers: [carl], quorum: 'any' },
    ],
  };

  test('holds from its first to its last local date, both included, in the calendar’s zone', () => {
    const away = { from: '2026-12-21', until: '2026-12-31' };
    expect(delegationActive(away, new Date('2026-12-21T06:00:00Z'), 'UTC')).toBe(true);
    // 05:00 UTC on the 21st is still the 20th in Chicago.
    expect(delegationActive(away, new Date('2026-12-21T05:00:00Z'), 'America/Chicago')).toBe(false);
    expect(delegationActive(away, new Date('2027-01-01T05:00:00Z'), 'America/Chicago')).toBe(true);
    expect(delegationActive(away, new Date('2027-01-01T06:00:00Z'), 'America/Chicago')).toBe(false);
  });

  test('to oneself, backwards or over is refused', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(delegationProblems('u-ann', { to: 'u-ann', from: '2026-12-01', until: '2026-11-30' }, now, 'UTC').map((p) => p.field)).toEqual([
      'to',
      'until',
    ]);
    expect(delegationProblems('u-ann', { to: 'u-bob', from: '2026-11-01', until: '2026-11-23' }, now, 'UTC')[0]!.message).toContain(
      'is in the past (today is 2026-11-24 in UTC)',
    );
    expect(delegationProblems('u-ann', { to: 'u-bob', from: '2026-11-24', until: '2026-11-24' }, now, 'UTC')).toEqual([]);
  });

  test('a delegate takes the place of an approver the waiting step still waits for, and counts as them', () => {
    expect(delegatorFor(route, [], dee.id, [bob])).toEqual(bob);
    expect(delegatorFor(route, [], dee.id, [carl])).toBeNull(); // a later step: not yet
    expect(delegatorFor(route, [], ann.id, [bob])).toBeNull(); // on the step already
    const forBob = [{ step: 0, by: bob, at: '2026-11-24T12:00:00Z', delegate: dee }];
    expect(delegatorFor(route, forBob, dee.id, [bob])).toBeNull(); // Bob's approval is given
    expect(turnRefusal('CO-1', route, [], 'accept', dee, bob)).toBeNull();
    expect(turnRefusal('CO-1', route, forBob, 'accept', dee, bob)!.message).toContain('Bob Ray has already approved this step');
    expect(routeProgress(route, [...forBob, { step: 0, by: ann, at: '2026-11-24T13:00:00Z' }]).current).toBe(1);
    const history = [
      { action: 'send', actor: eve, at: '2026-11-24T11:00:00Z' },
      { action: 'approve', actor: dee, onBehalfOf: bob, at: '2026-11-24T12:00:00Z', step: 0 },
    ];
    expect(roundApprovals(history)).toEqual([{ step: 0, by: bob, at: '2026-11-24T12:00:00Z', delegate: dee }]);
    expect(roundSteps(route, history, 'ReadyToExport')[0]!.decisions).toEqual([
      { by: dee, onBehalfOf: bob, action: 'approved', at: '2026-11-24T12:00:00Z' },
    ]);
    expect(deciderWords(dee, bob)).toBe('Dee Ito on behalf of Bob Ray');
  });

  test('one person approves a step once: a delegate for both approvers of an `all` step is not two pairs of eyes', () => {
    const forBob = [{ step: 0, by: bob, at: '2026-11-24T12:00:00Z', delegate: dee }];
    expect(delegatorFor(route, forBob, dee.id, [ann, bob])).toEqual(ann);
    const refusal = turnRefusal('CO-1', route, forBob, 'accept', dee, ann);
    expect(refusal).toBeInstanceOf(NotYourTurn);
    expect(refusal!.message).toContain('Dee Ito has already approved this step (Dee Ito on behalf of Bob Ray), and approves a step once');
    // Rejecting stays open to them, as to any approver of the step.
    expect(turnRefusal('CO-1', route, forBob, 'reject', dee, ann)).toBeNull();
  });

  test('the item view counts an approval given on an approver’s behalf as theirs', () => {
    const history = [
      { action: 'send', actor: eve, at: '2026-11-24T11:00:00Z' },
      { action: 'approve', actor: dee, onBehalfOf: bob, at: '2026-11-24T12:00:00Z', step: 0 },
    ];
    const [step] = roundSteps(route, history, 'ReadyToExport');
    expect(approvedAt(step!)).toEqual([bob]);
    expect(approverWords(step!, stillWaitingFor(step!, approvedAt(step!)))).toBe('Ann Lee');
  });
});

describe('whom a round waits for, and steps nobody could decide', () => {
  const route: Route = {
    policy: { id: 'p', name: 'P' },
    steps: [
      { name: 'Both', approvers: [ann, bob], quorum: 'all', escalateAfter: 'P1D', escalateTo: [carl] },
      { name: 'One', approvers: [dee], quorum: 'any' },
    ],
  };
  const at = '2026-11-24T10:00:00.000Z';

  test('the approvers of the waiting step who have not approved, those it escalated to, and nobody named on the default route', () => {
    expect(waitingOn(route, [])).toEqual([ann.id, bob.id]);
    expect(waitingOn(route, [{ step: 0, by: ann, at }])).toEqual([bob.id]);
    const escalated = withEscalations(route, [
      { action: 'send', actor: eve, at },
      { action: 'escalate', actor: null, at, step: 0 },
    ]);
    expect(waitingOn(escalated, [{ step: 0, by: ann, at }])).toEqual([bob.id, carl.id]);
    expect(
      waitingOn(route, [
        { step: 0, by: ann, at },
        { step: 0, by: bob, at },
      ]),
    ).toEqual([dee.id]);
    expect(
      waitingOn(route, [
        { step: 0, by: ann, at },
        { step: 0, by: bob, at },
        { step: 1, by: dee, at },
      ]),
    ).toEqual([]);
    expect(waitingOn(DEFAULT_ROUTE, [])).toEqual([]);
  });

  test('a step is undecidable only when every person it names, escalation targets included, cannot decide', () => {
    const cannot = (ids: string[]) => (person: { id: string; name: string }) => (ids.includes(person.id) ? `${person.name} cannot` : null);
    expect(undecidableSteps(route, cannot([ann.id, bob.id]))).toEqual([]);
    expect(undecidableSteps(route, cannot([ann.id, bob.id, carl.id, dee.id]))).toEqual([
      { step: 0, reasons: ['Ann Lee cannot', 'Bob Ray cannot', 'Carl Diaz cannot'] },
      { step: 1, reasons: ['Dee Ito cannot'] },
    ]);
    expect(undecidableSteps(DEFAULT_ROUTE, () => 'nobody')).toEqual([]);
  });
});

describe('one person, one step of a round', () => {
  test('whoever approved an earlier step, for themselves or for an approver away, may not approve a later one', () => {
    const shared: Route = {
      policy: { id: 'p', name: 'P' },
      steps: [
        { name: 'A', approvers: [ann], quorum: 'any', escalateAfter: 'P1D', escalateTo: [bob] },
        { name: 'B', approvers: [bob, carl], quorum: 'any' },
      ],
    };
    const at = '2026-11-24T10:00:00.000Z';
    const byBob = [{ step: 0, by: bob, at }];
    expect(earlierStepRefusal('CO-1', shared, byBob, 'accept', bob)?.message).toBe(
      'CO-1 is at step 2 of 2 (B), waiting for Bob Ray or Carl Diaz: Bob Ray approved step 1 of 2 (A) already, and one person does not approve two steps of a round.',
    );
    expect(earlierStepRefusal('CO-1', shared, byBob, 'accept', carl)).toBeNull();
    expect(earlierStepRefusal('CO-1', shared, byBob, 'reject', bob)).toBeNull();
    // Dee approved step 1 on Ann's behalf: neither Dee nor, through Dee, Ann's place counts twice.
    const forAnn = [{ step: 0, by: ann, at, delegate: dee }];
    expect(earlierStepRefusal('CO-1', shared, forAnn, 'accept', dee, bob)?.code).toBe('not_your_turn');
    expect(earlierStepRefusal('CO-1', shared, [], 'accept', bob)).toBeNull();
  });
});
