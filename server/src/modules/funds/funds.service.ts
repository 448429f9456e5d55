import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DEFAULT_YEARLY_FUND_FEN, type Ability, type FundSpendStatus, type FundSpendView, type FundView } from '@xinyuan/shared';
import { Clock } from '../../common/clock';
import type { Actor } from '../../common/auth/actor';
import { AccessPolicy } from '../../access/policy';
import type { VisibilityCheck } from '../../access/sees.guard';
import { Database } from '../../database/database';
import type { FundSpendsQueryDto, FundsQueryDto } from './funds.dto';
import { FundsException } from './funds.exception';
import { toSpendView } from './funds.mapper';
import { FundsRepository, type CommunityScope, type FundCommunity, type FundRow, type FundTotals, type SpendRow } from './funds.repository';
import { localYear } from '../../common/time';

/** Beijing calendar year of an instant: the fund year a spend counts in. */
export function beijingYear(d: Date): number {
  return localYear(d);
}

/**
 * The service fund (服务群众专项经费): each community's yearly budget (its class's fund
 * unless a city admin set one), and what completed wishes spent from it. A cost a claimant
 * reports waits for the community committee; one above the remaining budget then waits for
 * the street as well (DOMAIN.md, Funds). Who reads and decides what: access.ts (funds,
 * spend_community, spend_street, budget); nobody decides a spend they reported or on a wish
 * they submitted.
 */
@Injectable()
export class FundsService implements VisibilityCheck {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly repo: FundsRepository,
    private readonly policy: AccessPolicy,
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

  /** The funds of every community the actor may read, for each of these years; none for a reader without the `funds` ability. */
  async listYears(actor: Actor, years: readonly number[]): Promise<FundView[]> {
    if (!this.policy.can(actor, 'funds')) return [];
    const out: FundView[] = [];
    for (const year of years) out.push(...(await this.list(actor, { year })));
    return out;
  }

  async spends(actor: Actor, q: FundSpendsQueryDto): Promise<FundSpendView[]> {
    const scope = await this.scopeOf(actor);
    if (q.communityId !== undefined) await this.communityInScope(scope, q.communityId);
    const rows = await this.repo.spends(scope, q);
    const deciders = await this.deciders(actor);
    return rows.map((r) => toSpendView(r, this.refusal(actor, r, deciders) === null ? ['approve', 'refuse'] : []));
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

  /** Sets a community's budget for a year (a grant on the city itself); the change is kept with who made it and when. */
  async setBudget(actor: Actor, communityId: number, year: number, budgetFen: number): Promise<FundView> {
    const community = await this.repo.community(communityId);
    if (!community) throw new FundsException('ORG_NOT_FOUND');
    if (!(await this.policy.canAt(actor, 'budget', communityId))) throw new FundsException('FORBIDDEN', '只有市委组织部可以调整社区经费').because('budget: no city_admin grant on the community\'s city');
    await this.db.tx(async (m) => {
      const now = this.clock.now();
      const fund = await this.repo.lockFund(m, communityId, year, now);
      await this.repo.setBudget(m, communityId, year, budgetOf(community, fund), budgetFen, actor.userId, now);
    });
    const [view] = await this.list(actor, { communityId, year });
    return view ?? toFundView(community, year, undefined, { spentFen: 0, pendingFen: 0 });
  }

  // ---- spends ----

  /** Records the cost a completion reports, in the completion's transaction: it waits for the community committee. */
  async reportSpend(m: EntityManager, actor: Actor, wish: { id: number; communityId: number }, amountFen: number, now: Date): Promise<void> {
    await this.repo.insertSpend(m, { wishId: wish.id, communityId: wish.communityId, year: beijingYear(now), amountFen, status: 'pending_community', createdBy: actor.userId, createdAt: now });
  }

  /** For @Sees(FundsService): a spend outside the actor's funds scope does not exist for them. */
  async assertVisible(actor: Actor, id: number): Promise<void> {
    await this.visibleSpend(actor, id);
  }

  /**
   * Approves a spend at its stage. The committee's approval records it as spent when it fits
   * the remaining budget, and otherwise sends it on to the street. The fund row is locked first,
   * so of two approvals at once only those that fit together are recorded.
   */
  async approve(actor: Actor, id: number): Promise<FundSpendView> {
    const spend = await this.decidable(actor, id);
    const now = this.clock.now();
    await this.db.tx(async (m) => {
      let to: FundSpendStatus = 'approved';
      if (spend.status === 'pending_community') {
        const fund = await this.repo.lockFund(m, spend.communityId, spend.year, now);
        const budget = fund.budgetFen ?? DEFAULT_YEARLY_FUND_FEN[await this.repo.classOf(m, spend.communityId)];
        const t = (await this.repo.totals([spend.communityId], spend.year, m)).get(spend.communityId)!;
        if (t.spentFen + spend.amountFen > budget) to = 'pending_street';
      }
      if (!(await this.repo.moveSpend(m, id, spend.status, to, actor.userId, now, null))) throw new FundsException('FUND_SPEND_NOT_PENDING');
    });
    return this.view(actor, id);
  }

  async refuse(actor: Actor, id: number, reason: string): Promise<FundSpendView> {
    const spend = await this.decidable(actor, id);
    const ok = await this.db.tx((m) => this.repo.moveSpend(m, id, spend.status, 'refused', actor.userId, this.clock.now(), reason.trim()));
    if (!ok) throw new FundsException('FUND_SPEND_NOT_PENDING');
    return this.view(actor, id);
  }

  private async view(actor: Actor, id: number): Promise<FundSpendView> {
    const row = (await this.repo.findSpend(id))!;
    return toSpendView(row, this.refusal(actor, row, await this.deciders(actor)) === null ? ['approve', 'refuse'] : []);
  }

  private async visibleSpend(actor: Actor, id: number): Promise<SpendRow> {
    const spend = await this.repo.findSpend(id);
    if (!spend || !scopeHolds(await this.scopeOf(actor, false), spend)) {
      throw new FundsException('FUND_SPEND_NOT_FOUND').because('spend: outside the funds scope');
    }
    return spend;
  }

  private async decidable(actor: Actor, id: number): Promise<SpendRow> {
    const spend = await this.visibleSpend(actor, id);
    if (spend.status !== 'pending_community' && spend.status !== 'pending_street') throw new FundsException('FUND_SPEND_NOT_PENDING');
    const refusal = this.refusal(actor, spend, await this.deciders(actor));
    if (refusal) throw refusal;
    return spend;
  }

  /** The communities where the actor decides each stage (spend_community, spend_street). */
  private async deciders(actor: Actor): Promise<{ community: CommunityScope; street: CommunityScope }> {
    const [community, street] = await Promise.all([this.scopeFor(actor, 'spend_community'), this.scopeFor(actor, 'spend_street')]);
    return { community, street };
  }

  /** Why the actor may not decide this spend now, or null when they may. */
  private refusal(actor: Actor, s: SpendRow, d: { community: CommunityScope; street: CommunityScope }): FundsException | null {
    const stage = s.status === 'pending_community' ? d.community : s.status === 'pending_street' ? d.street : null;
    if (!stage || !scopeHolds(stage, s)) return new FundsException('FORBIDDEN', '该经费支出不在您的审批环节').because(`spend ${s.status}: not the actor's stage`);
    if (s.createdBy === actor.userId) return new FundsException('OWN_HANDLING').because('spend: reported by the actor');
    if (s.wishSubmitterId === actor.userId) return new FundsException('OWN_SUBMISSION').because("spend: on the actor's own wish");
    return null;
  }

  // ---- scope ----

  /** The communities the actor reads funds of (ability `funds`); FORBIDDEN when none (unless not `strict`). */
  private async scopeOf(actor: Actor, strict = true): Promise<CommunityScope> {
    const scope = await this.scopeFor(actor, 'funds');
    if (strict && !scope.districtIds.length && !scope.streetIds.length && !scope.communityIds.length) throw new FundsException('FORBIDDEN').because('funds: no grant');
    return scope;
  }

  private async scopeFor(actor: Actor, ability: Ability): Promise<CommunityScope> {
    const cov = await this.policy.coverage(actor, ability);
    return { districtIds: cov.districts, streetIds: cov.streets, communityIds: cov.communities };
  }

  private async communityInScope(scope: CommunityScope, communityId: number): Promise<FundCommunity> {
    const community = await this.repo.community(communityId);
    if (!community) throw new FundsException('ORG_NOT_FOUND');
    if (!inScope(scope, community)) throw new FundsException('FORBIDDEN').because('funds: community outside the grant');
    return community;
  }
}

/** Does a scope reach the spend's community (its street and district come with the row)? */
function scopeHolds(s: CommunityScope, spend: SpendRow): boolean {
  return s.communityIds.includes(spend.communityId) || s.streetIds.includes(spend.streetId) || s.districtIds.includes(spend.districtId);
}

function inScope(s: CommunityScope, c: FundCommunity): boolean {
  return s.communityIds.includes(c.id) || s.streetIds.includes(c.streetId) || s.districtIds.includes(c.districtId);
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
