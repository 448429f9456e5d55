import { Injectable } from '@nestjs/common';
import { COMMUNITY_CLASSES, TIERS, WISH_STATES, type CommunityClass, type ExportFormat, type LedgerDashboard, type LedgerExportLink, type Tier, type WishState, type LedgerRanking, type LedgerRatesReport, type LedgerWishDetail, type LedgerWishItem, type Page, type RatesSummary } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { UsersRepository } from '../users/users.repository';
import { WishEventsRepository } from '../wishes/wish-events.repository';
import { toEventView } from '../wishes/wishes.mapper';
import { ActorLoader } from '../../common/auth/actor-loader';
import { TokenService } from '../../common/auth/token.service';
import { FundsService } from '../funds/funds.service';
import type { LedgerDashboardQueryDto, LedgerExportLinkDto, LedgerExportQueryDto, LedgerRatesQueryDto, LedgerWishQueryDto } from './ledger.dto';
import { LedgerException } from './ledger.exception';
import { toFact, toLedgerItem } from './ledger.mapper';
import { LedgerRepository, type LedgerFilters, type LedgerRow } from './ledger.repository';
import { coversTarget, isEmptyScope, ledgerScope, type LedgerScope, type RatesTarget } from './ledger-scope';
import { summarise, type WishFact } from './rates';

const DEFAULT_PAGE = 20;
const EXPORT_AUD = 'ledger-export';
/** Download links live ten minutes. */
const EXPORT_LINK_TTL_S = 600;

/** The file's name: 心愿台账-YYYYMMDD.ext (Beijing day). */
export function exportFileName(now: Date, ext: string): string {
  return `心愿台账-${new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')}.${ext}`;
}

function byClass(facts: WishFact[], asOf: Date): (RatesSummary & { communityClass: CommunityClass })[] {
  return COMMUNITY_CLASSES.map((communityClass) => ({ communityClass, f: facts.filter((f) => f.communityClass === communityClass) }))
    .filter((c) => c.f.length > 0)
    .map((c) => ({ communityClass: c.communityClass, ...summarise(c.f, asOf) }));
}
const RANKING_SIZE = 50;

/** A Beijing day YYYY-MM-DD as the instant it starts; refuses days that do not exist. */
export function beijingDayStart(day: string, field: string): Date {
  const d = new Date(`${day}T00:00:00+08:00`);
  const back = Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  if (back !== day) throw new LedgerException('VALIDATION_FAILED', undefined, [`${field} is not a real date`]);
  return d;
}

/** [from, to] in Beijing days, as [start of from, start of the day after to). */
export function beijingPeriod(from: string | undefined, to: string | undefined): { from?: Date; to?: Date } {
  const f = from ? beijingDayStart(from, 'from') : undefined;
  const t = to ? new Date(beijingDayStart(to, 'to').getTime() + 86_400_000) : undefined;
  if (f && t && f.getTime() >= t.getTime()) throw new LedgerException('VALIDATION_FAILED', undefined, ['from must not be after to']);
  return { from: f, to: t };
}

@Injectable()
export class LedgerService {
  constructor(
    private readonly clock: Clock,
    private readonly ledger: LedgerRepository,
    private readonly orgs: OrganisationsRepository,
    private readonly users: UsersRepository,
    private readonly events: WishEventsRepository,
    private readonly funds: FundsService,
    private readonly tokens: TokenService,
    private readonly actors: ActorLoader,
  ) {}

  async list(actor: Actor, q: LedgerWishQueryDto): Promise<Page<LedgerWishItem>> {
    const where = this.ledger.scopeWhere(await this.scopeOf(actor));
    const limit = q.limit ?? DEFAULT_PAGE;
    const now = this.clock.now();
    const rows = await this.ledger.page(where, this.filters(q), now, { beforeId: q.cursor ? decodeLedgerCursor(q.cursor) : undefined, limit });
    const items = await this.items(rows, now);
    const last = rows[rows.length - 1];
    return { items, nextCursor: rows.length === limit && last ? encodeLedgerCursor(last.id) : null };
  }

  /** One wish's ledger line and its full timeline; a wish outside the actor's scope is not found. */
  async detail(actor: Actor, id: number): Promise<LedgerWishDetail> {
    const row = await this.ledger.findOne(this.ledger.scopeWhere(await this.scopeOf(actor)), id);
    if (!row) throw new LedgerException('WISH_NOT_FOUND');
    const events = await this.events.listForWish(id);
    const names = await this.users.names([...events.map((e) => e.actorId ?? 0).filter(Boolean), ...(row.claimantId ? [row.claimantId] : [])]);
    return { ...toLedgerItem(row, names, this.clock.now()), timeline: events.map((e) => toEventView(e, names)) };
  }

  /**
   * Every ledger line matching the filters, batch by batch (id descending). The
   * scope is checked before the first batch, so refusals come back as errors,
   * not as a broken download. Facts of published wishes go to `facts` if given.
   */
  async exportBatches(actor: Actor, q: LedgerExportQueryDto, facts?: WishFact[]): Promise<AsyncGenerator<LedgerWishItem[]>> {
    const where = this.ledger.scopeWhere(await this.scopeOf(actor));
    const filters = this.filters(q);
    const now = this.clock.now();
    const self = this;
    return (async function* () {
      for await (const rows of self.ledger.stream(where, filters, now)) {
        if (facts) for (const r of rows) if (r.publishedAt) facts.push(toFact(r as LedgerRow & { publishedAt: Date }));
        yield await self.items(rows, now);
      }
    })();
  }

  summarise(facts: WishFact[]): RatesSummary {
    return summarise(facts, this.clock.now());
  }

  async rates(actor: Actor, q: LedgerRatesQueryDto): Promise<LedgerRatesReport> {
    const { target, name } = await this.target(actor, q);
    const facts = await this.facts(target, beijingPeriod(q.from, q.to));
    const asOf = this.clock.now();
    return { scope: q.scope, orgId: target.id, orgName: name, from: q.from, to: q.to, asOf: asOf.toISOString(), ...summarise(facts, asOf), byClass: byClass(facts, asOf) };
  }

  /** Everything the committee's dashboard draws for one organisation and Beijing year. */
  async dashboard(actor: Actor, q: LedgerDashboardQueryDto): Promise<LedgerDashboard> {
    const asOf = this.clock.now();
    const year = q.year ?? new Date(asOf.getTime() + 8 * 3600_000).getUTCFullYear();
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const { target, name } = await this.target(actor, { scope: q.scope, orgId: q.orgId });
    const period = beijingPeriod(from, to);
    const facts = await this.facts(target, period);

    const months = new Map<string, WishFact[]>();
    for (const f of facts) {
      const m = new Date(f.publishedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
      (months.get(m) ?? months.set(m, []).get(m)!).push(f);
    }
    const monthly = [...months.keys()].sort().map((month) => {
      const s = summarise(months.get(month)!, asOf);
      return { month, published: s.published, response: s.response, resolution: s.resolution, satisfaction: s.satisfaction };
    });

    // Wishes submitted in the year, whatever became of them.
    const states = new Map<WishState, number>(WISH_STATES.map((st) => [st, 0]));
    const reached = new Map<Tier, number>(TIERS.map((t) => [t, 0]));
    const resolvedAt = new Map<Tier, number>(TIERS.map((t) => [t, 0]));
    for await (const rows of this.ledger.stream(this.ledger.targetWhere(target), { createdFrom: period.from, createdTo: period.to }, asOf, 1000)) {
      for (const r of rows) {
        states.set(r.state, (states.get(r.state) ?? 0) + 1);
        if (r.publishedAt) reached.set(r.tier, (reached.get(r.tier) ?? 0) + 1);
        if (r.state === 'resolved') resolvedAt.set(r.tier, (resolvedAt.get(r.tier) ?? 0) + 1);
      }
    }
    const fundScope = { all: target.kind === 'city', districtIds: target.kind === 'district' ? [target.id] : [], streetIds: target.kind === 'street' ? [target.id] : [], communityIds: target.kind === 'community' ? [target.id] : [] };
    return {
      scope: q.scope,
      orgId: target.id,
      orgName: name,
      year,
      asOf: asOf.toISOString(),
      rates: summarise(facts, asOf),
      byClass: byClass(facts, asOf),
      monthly,
      byState: WISH_STATES.map((state) => ({ state, count: states.get(state) ?? 0 })),
      byTier: TIERS.map((tier) => ({ tier, reached: reached.get(tier) ?? 0, resolved: resolvedAt.get(tier) ?? 0 })),
      funds: await this.funds.sumFor(fundScope, year),
    };
  }

  /** A signed link to the export with these filters, for a browser or WeChat's downloadFile (which cannot send the bearer token). */
  async exportLink(actor: Actor, dto: LedgerExportLinkDto): Promise<LedgerExportLink> {
    const { format, ...q } = dto;
    await this.scopeOf(actor); // refuse now rather than at download
    this.filters(q); // dates checked now too
    const { token, expiresAt } = this.tokens.issueScoped(actor.userId, EXPORT_AUD, { f: format, q }, EXPORT_LINK_TTL_S);
    return { url: `/api/ledger/download?token=${token}`, fileName: exportFileName(this.clock.now(), format), expiresAt: expiresAt.toISOString() };
  }

  /** Who asked for a download link and what; the actor is loaded afresh, so a revoked grant no longer exports. */
  async redeemExportLink(token: string): Promise<{ actor: Actor; format: ExportFormat; q: LedgerExportQueryDto }> {
    const claims = this.tokens.verifyScoped(token, EXPORT_AUD);
    const format = claims?.f;
    if (!claims || (format !== 'csv' && format !== 'xlsx') || typeof claims.q !== 'object' || claims.q === null) throw new LedgerException('EXPORT_LINK_INVALID');
    const actor = await this.actors.load(claims.userId);
    if (!actor) throw new LedgerException('EXPORT_LINK_INVALID');
    return { actor, format, q: claims.q as LedgerExportQueryDto };
  }

  private async facts(target: RatesTarget, period: { from?: Date; to?: Date }): Promise<WishFact[]> {
    const facts: WishFact[] = [];
    for await (const rows of this.ledger.stream(this.ledger.targetWhere(target), { publishedFrom: period.from, publishedTo: period.to }, this.clock.now(), 1000)) {
      for (const r of rows) if (r.publishedAt) facts.push(toFact(r as LedgerRow & { publishedAt: Date }));
    }
    return facts;
  }

  /** Members by wishes they resolved in the period (resolved_at), never by mere claims. */
  async ranking(actor: Actor, q: LedgerRatesQueryDto): Promise<LedgerRanking> {
    const { target } = await this.target(actor, q);
    const period = beijingPeriod(q.from, q.to);
    const rows = await this.ledger.ranking(this.ledger.targetWhere(target), period.from!, period.to!, RANKING_SIZE);
    const names = await this.users.names(rows.map((r) => r.userId));
    let rank = 0;
    let prev = -1;
    const items = rows.map((r, i) => {
      if (r.resolved !== prev) rank = i + 1; // equal counts share a rank
      prev = r.resolved;
      return { rank, userId: r.userId, name: names.get(r.userId) ?? '', resolved: r.resolved };
    });
    return { scope: q.scope, orgId: target.id, from: q.from, to: q.to, items };
  }

  // ---- scope ----

  private async scopeOf(actor: Actor): Promise<LedgerScope> {
    const cityGrantIds = actor.grants.filter((g) => g.role === 'city_admin').map((g) => g.orgId);
    const cities = new Set((await this.orgs.findByIds(cityGrantIds)).filter((o) => o.kind === 'city').map((o) => o.id));
    const scope = ledgerScope(actor, cities);
    if (isEmptyScope(scope)) throw new LedgerException('FORBIDDEN', '只有社区、街道、联点单位和组织部门可以查看台账');
    return scope;
  }

  /** The organisation the rates are asked for, if the actor may see all of it. */
  private async target(actor: Actor, q: Pick<LedgerRatesQueryDto, 'scope' | 'orgId'>): Promise<{ target: RatesTarget; name: string }> {
    const scope = await this.scopeOf(actor);
    let orgId = q.orgId;
    if (orgId === undefined) {
      if (q.scope !== 'city' || scope.cityIds.length !== 1) throw new LedgerException('VALIDATION_FAILED', undefined, ['orgId is required']);
      orgId = scope.cityIds[0];
    }
    const org = await this.orgs.findById(orgId);
    if (!org || org.kind !== q.scope) throw new LedgerException('ORG_NOT_FOUND');
    const parent = async (id: number | null | undefined) => (id ? ((await this.orgs.findById(id))?.parentId ?? undefined) : undefined);
    const target: RatesTarget = { kind: q.scope, id: org.id };
    if (q.scope === 'community') {
      target.streetId = org.parentId ?? undefined;
      target.districtId = await parent(target.streetId);
      target.cityId = await parent(target.districtId);
      target.pairedUnitIds = await this.ledger.unitsPairedWith(org.id);
    } else if (q.scope === 'street') {
      target.districtId = org.parentId ?? undefined;
      target.cityId = await parent(target.districtId);
    } else if (q.scope === 'district') {
      target.cityId = org.parentId ?? undefined;
    }
    if (!coversTarget(scope, target)) throw new LedgerException('FORBIDDEN', '无权查看该范围的台账');
    return { target, name: org.name };
  }

  private filters(q: LedgerExportQueryDto): LedgerFilters {
    const period = beijingPeriod(q.from, q.to);
    return {
      communityId: q.communityId,
      streetId: q.streetId,
      districtId: q.districtId,
      state: q.state,
      tierReached: q.tierReached,
      tierResolved: q.tierResolved,
      category: q.category,
      createdFrom: period.from,
      createdTo: period.to,
      claimantId: q.claimantId,
      overdue: q.overdue,
      supervised: q.supervised,
    };
  }

  private async items(rows: LedgerRow[], now: Date): Promise<LedgerWishItem[]> {
    const names = await this.users.names(rows.map((r) => r.claimantId ?? 0).filter(Boolean));
    return rows.map((r) => toLedgerItem(r, names, now));
  }
}

export function encodeLedgerCursor(id: number): string {
  return Buffer.from(JSON.stringify([id])).toString('base64url');
}

export function decodeLedgerCursor(s: string): number {
  try {
    const [id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [unknown];
    if (Number.isSafeInteger(id) && (id as number) > 0) return id as number;
  } catch {
    /* fall through */
  }
  throw new LedgerException('VALIDATION_FAILED', '分页参数无效', ['cursor is not valid']);
}
