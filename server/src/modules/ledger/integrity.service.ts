import { Injectable } from '@nestjs/common';
import { INTEGRITY_FLAGS, type IntegrityFlag, type IntegrityFlagCode, type IntegrityReport, type IntegrityWishItem, type Page } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import type { IntegrityQueryDto, IntegrityWishQueryDto } from './integrity.dto';
import { IntegrityRepository, type IntegrityCounts } from './integrity.repository';
import { LedgerRepository } from './ledger.repository';
import { LedgerService, localPeriod, decodeLedgerCursor, encodeLedgerCursor } from './ledger.service';

const DEFAULT_PAGE = 20;
const share = (n: number, d: number): number | null => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

/**
 * Integrity flags of one organisation and period: read by whoever reads its rates (the `rates`
 * ability, the organisation wholly inside the grant), over the wishes published in the period.
 * The lists behind them are the ledger's rows the reader may open (the ledger's list scope).
 */
@Injectable()
export class IntegrityService {
  constructor(
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly ledgerRows: LedgerRepository,
    private readonly flags: IntegrityRepository,
  ) {}

  async report(actor: Actor, q: IntegrityQueryDto): Promise<IntegrityReport> {
    const { target, name } = await this.ledger.target(actor, q);
    const period = localPeriod(q.from, q.to);
    const asOf = this.clock.now();
    const communities = await this.ledger.communities(target);
    const c = await this.flags.counts(this.flags.cohort(communities.map((x) => x.id), period));
    return { scope: q.scope, orgId: target.id, orgName: name, from: q.from, to: q.to, asOf: asOf.toISOString(), published: c.published, flags: INTEGRITY_FLAGS.map((code) => flagOf(code, c)) };
  }

  /** The wishes behind one flag, newest first (keyset on id), as ledger lines the reader may open. */
  async wishes(actor: Actor, q: IntegrityWishQueryDto): Promise<Page<IntegrityWishItem>> {
    const { target } = await this.ledger.target(actor, q);
    const period = localPeriod(q.from, q.to);
    const { where, reach } = await this.ledger.rowsOf(actor, 'ledger');
    const cohort = this.flags.cohort((await this.ledger.communities(target)).map((x) => x.id), period);
    const limit = q.limit ?? DEFAULT_PAGE;
    const now = this.clock.now();
    // The flagged ids first (from the index), then their ledger lines within the reader's ledger rows.
    const ids = await this.flags.flaggedIds(cohort, q.flag, q.cursor ? decodeLedgerCursor(q.cursor) : undefined, limit);
    const rows = ids.length ? await this.ledgerRows.page({ sql: `${where.sql} AND w.id IN (${ids.map(() => '?').join(', ')})`, params: [...where.params, ...ids] }, {}, now, { limit }) : [];
    const [items, measured] = await Promise.all([this.ledger.items(rows, now, reach), measureOf(q.flag) ? this.flags.measures(rows.map((r) => r.id)) : Promise.resolve(null)]);
    return {
      items: items.map((it) => {
        const m = measured?.get(it.id);
        const measure = !m ? null : q.flag === 'claim_cycles' ? m.cycles : m.quickestMs === null ? null : Math.round((m.quickestMs / 60_000) * 10) / 10;
        return { ...it, measure };
      }),
      nextCursor: ids.length === limit ? encodeLedgerCursor(ids[ids.length - 1]) : null,
    };
  }
}

const measureOf = (f: IntegrityFlagCode) => f === 'claim_cycles' || f === 'quick_completion';

function flagOf(code: IntegrityFlagCode, c: IntegrityCounts): IntegrityFlag {
  const base = (count: number, denominator: number): IntegrityFlag => ({ code, count, denominator, share: share(count, denominator), cycles: null, byConsent: null, alarm: false });
  switch (code) {
    case 'silent_confirmation':
      return base(c.silent, c.resolved);
    case 'rating_on_behalf':
      return { ...base(c.onBehalf, c.rated), byConsent: c.onBehalfBy };
    case 'beneficiary_claim':
      return base(c.beneficiaryClaim, c.claimed);
    case 'claim_cycles':
      return { ...base(c.cycleWishes, c.claimed), cycles: c.cycles };
    case 'quick_completion':
      return base(c.quick, c.completed);
    case 'self_approval':
      return { ...base(c.selfApproval, c.published), alarm: c.selfApproval > 0 };
  }
}
