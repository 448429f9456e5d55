import type { FundSpendView } from '@xinyuan/shared';
import type { SpendRow } from './funds.repository';

export function toSpendView(s: SpendRow, actions: FundSpendView['actions']): FundSpendView {
  return {
    id: s.id,
    wishId: s.wishId,
    wishTitle: s.wishTitle,
    communityId: s.communityId,
    year: s.year,
    amountFen: s.amountFen,
    status: s.status,
    createdBy: s.createdBy,
    createdAt: s.createdAt.toISOString(),
    reviewedBy: s.reviewedBy,
    reviewedAt: s.reviewedAt ? s.reviewedAt.toISOString() : null,
    decidedBy: s.decidedBy,
    decidedAt: s.decidedAt ? s.decidedAt.toISOString() : null,
    reason: s.reason,
    actions,
  };
}
