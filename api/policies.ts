/** Approval policies as the API answers with them: amounts as decimal strings, and what each applies to in words. */
import { formatCents } from '../domain/items';
import { bySpecificity, scopeWords, type ApprovalPolicy } from '../domain/routing';

export function policyView(policy: ApprovalPolicy) {
  const { types, projects, minAmountCents } = policy.appliesTo;
  return {
    id: policy.id,
    name: policy.name,
    appliesTo: {
      ...(types ? { types } : {}),
      ...(projects ? { projects } : {}),
      ...(minAmountCents === undefined || minAmountCents === null ? {} : { minAmount: formatCents(minAmountCents) }),
    },
    /** "commitment change orders in project P1 of $10,000.00 or more" */
    appliesToWords: scopeWords(policy.appliesTo),
    steps: policy.steps.map((step) => ({
      name: step.name,
      approvers: step.approvers,
      quorum: step.quorum,
      remindAfter: step.remindAfter ?? null,
      escalateAfter: step.escalateAfter ?? null,
      escalateTo: step.escalateTo ?? [],
    })),
    ...(policy.slackChannel ? { slackChannel: policy.slackChannel } : {}),
  };
}

/**
 * Every policy, the most specific first: an item follows the first one in this list that applies to
 * it (`precedence` 1 is tried first); an item none applies to goes to any accounting approver.
 */
export function policiesView(policies: readonly ApprovalPolicy[]) {
  return {
    policies: [...policies].sort(bySpecificity).map((policy, index) => ({ ...policyView(policy), precedence: index + 1 })),
    otherwise: 'Items no policy applies to go to any accounting approver (one step).',
  };
}
