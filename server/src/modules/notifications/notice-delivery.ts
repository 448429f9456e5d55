// How each kind of notice reaches people beyond the inbox. Every notice goes to the inbox,
// always. WeChat subscribe messages are scarce: each send spends one credit the person gave
// with wx.requestSubscribeMessage (one-time subscriptions), so they go on what a person waits
// for, and the many notices staff get in a day fold into one digest.
//
// | kind        | who gets it                               | WeChat                        |
// | ----------- | ----------------------------------------- | ----------------------------- |
// | approved    | submitter                                 | own message (one credit)      |
// | rejected    | submitter                                 | own message (one credit)      |
// | cancelled   | submitter; the claimant it had            | own message (one credit)      |
// | transferred | submitter (the wish moved up a tier)      | own message (one credit)      |
// | claimed     | submitter                                 | own message (one credit)      |
// | completed   | submitter                                 | own message (one credit)      |
// | disputed    | claimant (and assignee)                   | own message (one credit)      |
// | overdue     | claimant (and assignee)                   | own message (one credit)      |
// | returned    | the claimant who lost the claim           | own message (one credit)      |
// | escalated   | the tier's claimers                       | daily digest                  |
// | waiting     | the tier's claimers (back in the pool)    | daily digest                  |
// | backlog     | the community's committee                 | daily digest                  |
// | urged       | the tier's claimers, or the claimant      | daily digest                  |
// | supervised  | the district                              | daily digest                  |
// | digest      | staff with digest notices that day        | own message (one credit), at most one a day |
//
// The digest: a notice of a digest kind is written to the inbox at once (wx_status 'digest');
// the first sender pass of a Beijing day that finds such lines for a person writes one inbox
// line of kind 'digest' summing them up (and marks them 'digested'), and that line goes out as
// one subscribe message if the person has a digest credit. Lines arriving later that day wait
// for the next day's digest. notice_digest (user_id, day) keeps it to one per person per day,
// also with several senders. Digests need WECHAT_TEMPLATE_DIGEST: without it a staff kind that
// has a template of its own is sent on its own, as it was before digests.
import type { NoticeKind } from '../outbox/outbox';

export type WechatWay = 'own' | 'digest';

export const WECHAT_WAY: Record<NoticeKind, WechatWay> = {
  approved: 'own',
  rejected: 'own',
  cancelled: 'own',
  transferred: 'own',
  claimed: 'own',
  completed: 'own',
  disputed: 'own',
  overdue: 'own',
  returned: 'own',
  escalated: 'digest',
  waiting: 'digest',
  backlog: 'digest',
  urged: 'digest',
  supervised: 'digest',
  digest: 'own',
};

/** What a digest's summary names each kind it counts. */
export const DIGEST_LABELS: Partial<Record<NoticeKind, string>> = {
  escalated: '待认领',
  waiting: '重新待认领',
  backlog: '审核积压',
  urged: '催办',
  supervised: '督办',
};

/** The digest's summary line, e.g. "待认领3件，催办1件". */
export function digestSummary(counts: ReadonlyMap<string, number>): string {
  return Object.entries(DIGEST_LABELS)
    .flatMap(([kind, label]) => (counts.get(kind) ? [`${label}${counts.get(kind)}件`] : []))
    .join('，');
}
