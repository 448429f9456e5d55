import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { COMMUNITY_STAFF_ROLES, DEFAULT_YEARLY_FUND_FEN, type FundSpendStatus, type FundSpendView, type FundView, type Role } from '@xinyuan/shared';
import { Clock } from '../../common/clock';
import { hasRole, orgsWithRole, type Actor } from '../../common/auth/actor';
import { Database } from '../../database/database';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import type { FundSpendsQueryDto, FundsQueryDto } from './funds.dto';
import { FundsException } from './funds.exception';
import { toSpendView } from './funds.mapper';
import { FundsRepository, type CommunityScope, type FundCommunity, type FundRow, type FundTotals } from './funds.repository';

/** Beijing calendar year of an instant: the fund year a spend counts in. */
export function beijingYear(d: Date): number {
  return new Date(d.getTime() + 8 * 3600_000).getUTCFullYear();
}

/**
 * The service fund (服务群众专项经费): each community's yearly budget (its class's
 * fund unless a city admin set one), and what completed wishes spent from it.
 * A spend that would overdraw the budget waits for the street's approval.
 */
/** Who reads the funds: community staff, street handlers, city and district admins. */
const FUND_READERS: readonly Role[] = [...COMMUNITY_STAFF_ROLES, 'street_handler', 'city_admin'];

@Injectable()
export class FundsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly repo: FundsRepository,
    private readonly orgs: OrganisationsRepository,
  ) {}

  // ---- reading ----

  async list(actor: Actor, q: FundsQueryDto): Promise<FundView[]> {
    const scope = await this.scopeOf(actor);
    const year = q.year ?? beijingYear(this.clock.now());
    const communities = q.communityId !== undefined ? [await this.communityInScope(scope, q.communityId)] : await this.repo.communities(scope);
    const ids = communities.map((c) => c.id);
    const [funds, totals] = await Promise.all([this.repo.funds(ids, year), this.repo.totals(ids, year)]);
    return communities.map((c) => toFundView(c, year, funds.get(c.id), totals.get(c.id)!));
  }

  /**
   * The funds of every community the actor may read, for each of these years; none for a
   * reader without a funds role (a unit admin reads the ledger of its paired communities, not their funds).
   */
  async listYears(actor: Actor, years: readonly number[]): Promise<FundView[]> {
    if (!actor.grants.some((g) => FUND_READERS.includes(g.role))) return [];
    const out: FundView[] = [];
    for (const year of years) out.push(...(await this.list(actor, { year })));
    return out;
  }

  async spends(actor: Actor, q: FundSpendsQueryDto): Promise<FundSpendView[]> {
    const scope = await this.scopeOf(actor);
    if (q.communityId !== undefined) await this.communityInScope(scope, q.communityId);
    return (await this.repo.spends(scope, q)).map(toSpendView);
  }

  /** Budget, spent, pending and remaining summed over the communities of an organisation (callers check access). */
  async sumFor(scope: CommunityScope, year: number): Promise<{ budgetFen: number; spentFen: number; pendingFen: number; remainingFen: number; communities: number }> {
    const communities = await this.repo.communities(scope);
    const ids = communities.map((c) => c.id);
    const [funds, totals] = await Promise.all([this.repo.funds(ids, year), this.repo.totals(ids, year)]);
    const sum = { budgetFen: 0, spentFen: 0, pendingFen: 0, remainingFen: 0, communities: communities.length };
    for (const c of communities) {
      const v = toFundView(c, year, funds.get(c.id), totals.get(c.id)!);
      sum.budgetFen += v.budgetFen;
      sum.spentFen += v.spentFen;
      sum.pendingFen += v.pendingFen;
      sum.remainingFen += v.remainingFen;
    }
    return sum;
  }

  // ---- city admins ----

  /** Sets a community's budget for a year; the change is kept with who made it and when. */
  async setBudget(actor: Actor, communityId: number, year: number, budgetFen: number): Promise<FundView> {
    const community = await this.repo.community(communityId);
    if (!community) throw new FundsException('ORG_NOT_FOUND');
    const scope = await this.scopeOf(actor, ['city_admin']);
    if (!inScope(scope, community)) throw new FundsException('FORBIDDEN', '只有市、区委组织部可以调整社区经费');
    await this.db.tx(async (m) => {
      const now = this.clock.now();
      const fund = await this.repo.lockFund(m, communityId, year, now);
      await this.repo.setBudget(m, communityId, year, budgetOf(community, fund), budgetFen, actor.userId, now);
    });
    const [view] = await this.list(actor, { communityId, year });
    return view;
  }

  // ---- spends ----

  /**
   * Records what a completed wish cost, in the completion's transaction. The fund row
   * is locked first, so of two completions at once only those that fit under the
   * budget together are recorded; the rest wait for the street's approval.
   */
  async recordSpend(m: EntityManager, actor: Actor, wish: { id: number; communityId: number }, amountFen: number, now: Date): Promise<FundSpendStatus> {
    const year = beijingYear(now);
    const fund = await this.repo.lockFund(m, wish.communityId, year, now);
    const cls = await this.repo.classOf(m, wish.communityId);
    const budget = fund.budgetFen ?? DEFAULT_YEARLY_FUND_FEN[cls];
    const t = (await this.repo.totals([wish.communityId], year, m)).get(wish.communityId)!;
    const status: FundSpendStatus = t.spentFen + t.pendingFen + amountFen > budget ? 'pending_approval' : 'recorded';
    await this.repo.insertSpend(m, { wishId: wish.id, communityId: wish.communityId, year, amountFen, status, createdBy: actor.userId, createdAt: now });
    return status;
  }

  approve(actor: Actor, id: number): Promise<FundSpendView> {
    return this.decide(actor, id, 'approved', null);
  }

  refuse(actor: Actor, id: number, reason: string): Promise<FundSpendView> {
    return this.decide(actor, id, 'refused', reason);
  }

  /** The street's immediate-handling desk decides spends that would overdraw its communities' funds. */
  private async decide(actor: Actor, id: number, status: 'approved' | 'refused', reason: string | null): Promise<FundSpendView> {
    const spend = await this.repo.findSpend(id);
    if (!spend) throw new FundsException('FUND_SPEND_NOT_FOUND');
    const place = await this.orgs.communityPlace(spend.communityId);
    if (!place || !hasRole(actor, 'street_handler', place.streetId)) throw new FundsException('FORBIDDEN', '只有本街道可以审批超支');
    if (spend.status !== 'pending_approval') throw new FundsException('FUND_SPEND_NOT_PENDING');
    const ok = await this.db.tx((m) => this.repo.decideSpend(m, id, status, actor.userId, this.clock.now(), reason));
    if (!ok) throw new FundsException('FUND_SPEND_NOT_PENDING');
    return toSpendView((await this.repo.findSpend(id))!);
  }

  // ---- scope ----

  /** Community staff see their communities, street desks their street's, city admins all (district admins their district's). */
  private async scopeOf(actor: Actor, roles: readonly Role[] = FUND_READERS): Promise<CommunityScope> {
    const only = (rs: readonly Role[]) => orgsWithRole(actor, rs.filter((r) => roles.includes(r)));
    const admins = await this.orgs.findByIds(only(['city_admin']));
    const scope: CommunityScope = {
      all: admins.some((o) => o.kind === 'city'),
      districtIds: admins.filter((o) => o.kind === 'district').map((o) => o.id),
      streetIds: only(['street_handler']),
      communityIds: only(COMMUNITY_STAFF_ROLES),
    };
    if (!scope.all && !scope.districtIds.length && !scope.streetIds.length && !scope.communityIds.length) throw new FundsException('FORBIDDEN');
    return scope;
  }

  private async communityInScope(scope: CommunityScope, communityId: number): Promise<FundCommunity> {
    const community = await this.repo.community(communityId);
    if (!community) throw new FundsException('ORG_NOT_FOUND');
    if (!inScope(scope, community)) throw new FundsException('FORBIDDEN');
    return community;
  }
}

function inScope(s: CommunityScope, c: FundCommunity): boolean {
  return s.all || s.communityIds.includes(c.id) || s.streetIds.includes(c.streetId) || s.districtIds.includes(c.districtId);
}

function budgetOf(c: FundCommunity, fund: FundRow | undefined): number {
  return fund?.budgetFen ?? DEFAULT_YEARLY_FUND_FEN[c.communityClass];
}

function toFundView(c: FundCommunity, year: number, fund: FundRow | undefined, t: FundTotals): FundView {
  const budgetFen = budgetOf(c, fund);
  return {
    communityId: c.id,
    communityName: c.name,
    communityClass: c.communityClass,
    year,
    budgetFen,
    budgetSource: fund?.budgetFen != null ? 'set' : 'class_default',
    spentFen: t.spentFen,
    pendingFen: t.pendingFen,
    remainingFen: budgetFen - t.spentFen,
    updatedBy: fund?.budgetFen != null ? fund.updatedBy : null,
    updatedAt: fund?.budgetFen != null && fund.updatedAt ? fund.updatedAt.toISOString() : null,
  };
}
