import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ABILITY_RULES, CLOSURE_CODES, CLOSURE_LABELS, CONSENT_METHOD_LABELS, UNCODED_LABEL, explainRates, type LedgerRatesExplained, type ClosureCounts, COMMUNITY_CLASSES, TIERS, WISH_STATES, type CommunityClass, type ExportFormat, type LedgerDashboard, type LedgerExportLink, type Tier, type WishState, type LedgerRanking, type LedgerRatesReport, type LedgerPage, type LedgerWishDetail, type LedgerWishItem, parseLedgerSearch, type DurationStats, type FundView, type MonthlyRates, type Page, type RatesSummary } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { Database } from '../../database/database';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { UsersRepository } from '../users/users.repository';
import { WishEventsRepository } from '../wishes/wish-events.repository';
import { toEventView } from '../wishes/wishes.mapper';
import { ActorLoader } from '../../common/auth/actor-loader';
import { AccessPolicy } from '../../access/policy';
import { AccessLogWriter } from '../access-log/access-log.writer';
import { readRules, rowsSql, type Reach } from '../../access/relations';
import { TokenService } from '../../common/auth/token.service';
import { FundsService } from '../funds/funds.service';
import type { LedgerDashboardQueryDto, LedgerExportLinkDto, LedgerExportQueryDto, LedgerRatesQueryDto, LedgerWishQueryDto } from './ledger.dto';
import { LedgerException } from './ledger.exception';
import { beijingYesterday, ChainVerifier } from './chain-verifier';
import { toFact, toLedgerItem } from './ledger.mapper';
import { LedgerRepository, type LedgerFilters, type LedgerRow, type LedgerSearchFilter, type Period, type RatesTarget, type TargetCommunity } from './ledger.repository';
import { BUCKET_FLOORS, DURATION_KINDS, durationBucket, type DurationKind } from './rates-rollup';
import { RatesAccumulator, addCounts, durationStats, emptyCounts, neededRanks, statsAtRanks, summariseCounts, type RateCounts } from './rates';
import { localDay, localDayCompact, localDayStart, localMonthStart, localYear, nextMonth } from '../../common/time';

const DEFAULT_PAGE = 20;
const EXPORT_AUD = 'ledger-export';
/** Download links live ten minutes. */
const EXPORT_LINK_TTL_S = 600;

/** The file's name: 心愿台账-YYYYMMDD.ext (Beijing day). */
export function exportFileName(now: Date, ext: string): string {
  return `心愿台账-${localDayCompact(now)}.${ext}`;
}

const RANKING_SIZE = 50;
const NO_DURATIONS: DurationStats = { count: 0, medianHours: null, p90Hours: null };
/**
 * directDurations: up to this many wishes published in the period, their durations are read directly rather than
 * ranked through the rollup (both exact; the direct read touches fewer pages for a small target).
 * countBudgetMs: how long the ledger's total may take on MySQL/MariaDB before the page goes without it (null).
 * Mutable so the tests can run both paths on one small ledger.
 */
export const LEDGER_TUNING = { directDurations: 30_000, countBudgetMs: 250 };

const monthStart = localMonthStart;

/**
 * A period of Beijing days as the whole months inside it (served by the rollups)
 * and the edge ranges outside them (read directly). An open end is unbounded.
 */
export function splitMonths(p: Period): { full: { fromMonth?: string; toMonth?: string; period: Period } | null; edges: Period[] } {
  const fromDay = p.from && localDay(p.from);
  const toDay = p.to && localDay(p.to);
  const fromMonth = fromDay === undefined ? undefined : fromDay.endsWith('-01') ? fromDay.slice(0, 7) : nextMonth(fromDay.slice(0, 7));
  const toMonth = toDay?.slice(0, 7);
  if (fromMonth !== undefined && toMonth !== undefined && fromMonth >= toMonth) return { full: null, edges: [p] };
  const full: Period = { from: fromMonth === undefined ? undefined : monthStart(fromMonth), to: toMonth === undefined ? undefined : monthStart(toMonth) };
  const edges: Period[] = [];
  if (p.from && full.from && p.from.getTime() < full.from.getTime()) edges.push({ from: p.from, to: full.from });
  if (p.to && full.to && full.to.getTime() < p.to.getTime()) edges.push({ from: full.to, to: p.to });
  return { full: { fromMonth, toMonth, period: full }, edges };
}

/** A Beijing day YYYY-MM-DD as the instant it starts; refuses days that do not exist. */
export function localDayStartOf(day: string, field: string): Date {
  const d = localDayStart(day);
  if (!d) throw new LedgerException('VALIDATION_FAILED', undefined, [`${field} is not a real date`]);
  return d;
}

/** [from, to] in Beijing days, as [start of from, start of the day after to). */
export function localPeriod(from: string | undefined, to: string | undefined): { from?: Date; to?: Date } {
  const f = from ? localDayStartOf(from, 'from') : undefined;
  const t = to ? new Date(localDayStartOf(to, 'to').getTime() + 86_400_000) : undefined;
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
    private readonly policy: AccessPolicy,
    private readonly accessLog: AccessLogWriter,
    private readonly chain: ChainVerifier,
    private readonly db: Database,
  ) {}

  /** A page of the ledger; the first page also counts every matching line (the total beside the search). */
  async list(actor: Actor, q: LedgerWishQueryDto): Promise<LedgerPage> {
    const { where, reach } = await this.rowsOf(actor, 'ledger');
    const limit = q.limit ?? DEFAULT_PAGE;
    const now = this.clock.now();
    const filters = this.filters(q);
    const beforeId = q.cursor ? decodeLedgerCursor(q.cursor) : undefined;
    const [rows, total] = await Promise.all([
      this.ledger.page(where, filters, now, { beforeId, limit }),
      beforeId === undefined ? this.ledger.count(where, filters, now, LEDGER_TUNING.countBudgetMs) : Promise.resolve(null),
    ]);
    const items = await this.items(rows, now, reach);
    const last = rows[rows.length - 1];
    // A first page that is not full is every matching line: its length is the total, counted or not.
    return { items, nextCursor: rows.length === limit && last ? encodeLedgerCursor(last.id) : null, total: beforeId === undefined && rows.length < limit ? rows.length : total };
  }

  /** One wish's ledger line and its full timeline; a wish outside the actor's ledger is not found. */
  async detail(actor: Actor, id: number): Promise<LedgerWishDetail> {
    const { where, reach } = await this.rowsOf(actor, 'ledger');
    const row = await this.ledger.findOne(where, id);
    if (!row) throw new LedgerException('WISH_NOT_FOUND').because('ledger: no ledger row of WISH_READS holds');
    const events = await this.events.listForWish(id);
    const names = await this.users.names([...events.map((e) => e.actorId ?? 0).filter(Boolean), ...(row.claimantId ? [row.claimantId] : [])]);
    const orgs = new Map((await this.orgs.findByIds([...new Set(events.map((e) => e.actorOrgId ?? 0))].filter(Boolean))).map((o) => [o.id, o]));
    const sees = this.policy.wish(reach, row).sees;
    return { ...toLedgerItem(row, names, this.clock.now(), sees.claimantName), timeline: events.map((e) => toEventView(e, names, orgs, sees.people, sees.contentCheck)) };
  }

  /**
   * Every ledger line matching the filters, batch by batch (id descending). The
   * scope is checked before the first batch, so refusals come back as errors,
   * not as a broken download. Published wishes are counted into `rates` if given.
   */
  async exportBatches(actor: Actor, q: LedgerExportQueryDto, format: ExportFormat, rates?: RatesAccumulator): Promise<AsyncGenerator<LedgerWishItem[]>> {
    const { where, reach } = await this.rowsOf(actor, 'export');
    const filters = this.filters(q);
    const now = this.clock.now();
    // The export is logged with its filter before the first row goes out, and again with its row count when done.
    const grant = this.policy.grantsFor(actor, 'export')[0];
    const path = grant ? await this.orgs.pathOf(grant.orgId) : null;
    const entry = { actorId: actor.userId, actorRole: grant?.role ?? null, actorOrgId: grant?.orgId ?? null, subjectUserId: null, wishId: null, registrationId: null, districtId: path?.byKind.district ?? null, purpose: 'export' as const, fields: ['claimant_name'], filter: { ...q, format } };
    await this.accessLog.record([{ ...entry, at: now, rowCount: null }]);
    const self = this;
    return (async function* () {
      let count = 0;
      for await (const rows of self.ledger.stream(where, filters, now)) {
        if (rates) for (const r of rows) if (r.publishedAt) rates.add(toFact(r as LedgerRow & { publishedAt: Date }), now);
        count += rows.length;
        yield await self.items(rows, now, reach);
      }
      await self.accessLog.record([{ ...entry, at: self.clock.now(), rowCount: count }]).catch(() => undefined); // already logged as an error; the file has gone
    })();
  }

  async rates(actor: Actor, q: LedgerRatesQueryDto): Promise<LedgerRatesReport> {
    const { target, name } = await this.target(actor, q);
    const asOf = this.clock.now();
    const period = localPeriod(q.from, q.to);
    const [r, before] = await Promise.all([this.report(target, period, asOf, false), this.closuresBeforePublication(target, period)]);
    return { scope: q.scope, orgId: target.id, orgName: name, from: q.from, to: q.to, asOf: asOf.toISOString(), ...r.rates, byClass: r.byClass, closuresBeforePublication: before };
  }

  /** The rates with their rules in plain Chinese and the count of every category each includes or leaves out. */
  async ratesExplained(actor: Actor, q: LedgerRatesQueryDto): Promise<LedgerRatesExplained> {
    const r = await this.rates(actor, q);
    const value = { response: r.response, resolution: r.resolution, satisfaction: r.satisfaction };
    return {
      scope: r.scope,
      orgId: r.orgId,
      orgName: r.orgName,
      from: r.from,
      to: r.to,
      asOf: r.asOf,
      published: r.published,
      rates: explainRates(r, CONSENT_METHOD_LABELS).map((x) => ({ ...x, value: value[x.key] })),
      closures: ([...CLOSURE_CODES, 'uncoded'] as const).map((code) => ({
        code,
        label: code === 'uncoded' ? UNCODED_LABEL : CLOSURE_LABELS[code],
        published: r.closures[code],
        beforePublication: r.closuresBeforePublication[code],
      })),
      tierShares: r.tierShares,
    };
  }

  /** Closures of never-published wishes (rejections, cancellations before review) by code, by the day they were closed. */
  private async closuresBeforePublication(target: RatesTarget, period: Period): Promise<ClosureCounts> {
    const out = Object.fromEntries([...CLOSURE_CODES, 'uncoded'].map((c) => [c, 0])) as ClosureCounts;
    const ids = (await this.communities(target)).map((c) => c.id);
    for (const r of await this.ledger.closuresBeforePublication(ids, period)) out[r.code ?? 'uncoded'] += r.n;
    return out;
  }

  /** Everything the committee's dashboard draws for one organisation and Beijing year. */
  async dashboard(actor: Actor, q: LedgerDashboardQueryDto): Promise<LedgerDashboard> {
    const asOf = this.clock.now();
    const year = q.year ?? localYear(asOf);
    const { target, name } = await this.target(actor, { scope: q.scope, orgId: q.orgId });
    const period = localPeriod(`${year}-01-01`, `${year}-12-31`);
    // The fund summed over the target's communities, for a reader of its funds only.
    const fundsShown = await this.policy.canAt(actor, 'funds', target.id);
    const [r, bars, funds, dayDigest] = await Promise.all([
      this.report(target, period, asOf, true),
      // Wishes submitted in the year, whatever became of them (bars_rollup, kept by every change).
      this.communities(target).then((c) => this.ledger.bars(c.map((x) => x.id), `${year}-01`, `${year + 1}-01`)),
      fundsShown ? this.communities(target).then((c) => this.funds.sumFor({ communityIds: c.map((x) => x.id), streetIds: [], districtIds: [] }, year)) : Promise.resolve(null),
      // The 台账校验码 of the last whole day, for the committee to print (chain-verifier.ts).
      this.communities(target).then((c) => this.chain.dayDigest({ kind: target.kind, orgId: target.id, communityIds: c.map((x) => x.id) }, beijingYesterday(asOf), localDay(asOf))),
    ]);
    const states = new Map<WishState, number>(WISH_STATES.map((st) => [st, 0]));
    const reached = new Map<Tier, number>(TIERS.map((t) => [t, 0]));
    const resolvedAt = new Map<Tier, number>(TIERS.map((t) => [t, 0]));
    for (const b of bars) {
      states.set(b.state, (states.get(b.state) ?? 0) + b.n);
      if (b.published) reached.set(b.tier, (reached.get(b.tier) ?? 0) + b.n);
      if (b.state === 'resolved') resolvedAt.set(b.tier, (resolvedAt.get(b.tier) ?? 0) + b.n);
    }
    return {
      scope: q.scope,
      orgId: target.id,
      orgName: name,
      year,
      asOf: asOf.toISOString(),
      rates: r.rates,
      byClass: r.byClass,
      monthly: r.monthly,
      byState: WISH_STATES.map((state) => ({ state, count: states.get(state) ?? 0 })),
      byTier: TIERS.map((tier) => ({ tier, reached: reached.get(tier) ?? 0, resolved: resolvedAt.get(tier) ?? 0 })),
      funds,
      dayDigest,
    };
  }

  /** The communities of a target, read once per request. */
  communities(target: RatesTarget): Promise<TargetCommunity[]> {
    let p = this.communityCache.get(target);
    if (!p) this.communityCache.set(target, (p = this.ledger.communitiesOf(target)));
    return p;
  }
  private readonly communityCache = new WeakMap<RatesTarget, Promise<TargetCommunity[]>>();

  /**
   * The rates of the wishes published in the period, exact, without reading every wish:
   * - counters: terminal wishes from rates_rollup (by day), the others (open, claimed,
   *   awaiting confirmation) counted live by one aggregate;
   * - medians and p90s: bucket counts from duration_rollup find the bucket holding each
   *   needed rank, then a short walk along the duration's index inside that bucket
   *   reads the value (days at the edges of a period that is not whole months are
   *   read directly and merged in).
   * The statements do not share one snapshot: a move landing during the request may
   * show in some figures and not yet in others.
   */
  private async report(target: RatesTarget, period: Period, asOf: Date, byMonth: boolean): Promise<{ rates: RatesSummary; byClass: (RatesSummary & { communityClass: CommunityClass })[]; monthly: MonthlyRates[] }> {
    const communities = await this.communities(target);
    const ids = communities.map((c) => c.id);
    const [terminal, live] = await Promise.all([
      this.ledger.terminalCounts(ids, period.from && localDay(period.from), period.to && localDay(period.to), byMonth),
      this.ledger.liveCounts(ids, period, asOf, byMonth),
    ]);
    const classOf = new Map(communities.map((c) => [c.id, c.communityClass]));
    const total = emptyCounts();
    const classes = new Map<CommunityClass, RateCounts>();
    const months = new Map<string, RateCounts>();
    for (const r of [...terminal, ...live]) {
      addCounts(total, r.counts);
      const cls = classOf.get(r.communityId) ?? 'B';
      addCounts(classes.get(cls) ?? classes.set(cls, emptyCounts()).get(cls)!, r.counts);
      if (r.month !== null) addCounts(months.get(r.month) ?? months.set(r.month, emptyCounts()).get(r.month)!, r.counts);
    }
    const present = COMMUNITY_CLASSES.filter((c) => (classes.get(c)?.published ?? 0) > 0);
    const parts = [ids, ...present.map((c) => communities.filter((x) => x.communityClass === c).map((x) => x.id))];
    const stats = total.published <= LEDGER_TUNING.directDurations ? await this.directDurationStats(parts, period) : await this.durationStats(parts, period);
    const monthly = [...months.keys()].sort().map((month) => {
      const s = summariseCounts(months.get(month)!, NO_DURATIONS, NO_DURATIONS);
      return { month, published: s.published, response: s.response, resolution: s.resolution, satisfaction: s.satisfaction };
    });
    return {
      rates: summariseCounts(total, stats[0].claim, stats[0].resolve),
      byClass: present.map((c, i) => ({ communityClass: c, ...summariseCounts(classes.get(c)!, stats[i + 1].claim, stats[i + 1].resolve) })),
      monthly,
    };
  }

  /** Time to claim and to resolve for a small target: every duration read from one short index range. */
  private async directDurationStats(parts: number[][], period: Period): Promise<{ claim: DurationStats; resolve: DurationStats }[]> {
    const byCommunity = new Map<number, { claim: number[]; resolve: number[] }>();
    for (const r of await this.ledger.durationsIn(parts[0], period)) {
      const e = byCommunity.get(r.communityId) ?? byCommunity.set(r.communityId, { claim: [], resolve: [] }).get(r.communityId)!;
      if (r.claimMs !== null) e.claim.push(r.claimMs);
      if (r.resolveMs !== null) e.resolve.push(r.resolveMs);
    }
    return parts.map((ids) => {
      const of = (k: 'claim' | 'resolve') => durationStats(ids.flatMap((id) => byCommunity.get(id)?.[k] ?? []));
      return { claim: of('claim'), resolve: of('resolve') };
    });
  }

  /** Time to claim and to resolve, for each group of communities, from the rollup and short walks (see report()). */
  private async durationStats(parts: number[][], period: Period): Promise<{ claim: DurationStats; resolve: DurationStats }[]> {
    const all = parts[0];
    // Whole Beijing months [mFrom, mTo) inside the period come from the rollup; days outside them are edges.
    const { full, edges } = splitMonths(period);
    const hist = new Map<DurationKind, Map<number, number[]>>(); // kind -> community -> counts by bucket
    const edgeValues = new Map<DurationKind, Map<number, number[]>>(); // kind -> community -> values
    for (const kind of DURATION_KINDS) hist.set(kind, new Map()), edgeValues.set(kind, new Map());
    await Promise.all([
      ...(full
        ? DURATION_KINDS.map(async (kind) => {
            for (const r of await this.ledger.durationHistogram(kind, all, full.fromMonth, full.toMonth)) {
              const h = hist.get(kind)!;
              const counts = h.get(r.communityId) ?? h.set(r.communityId, new Array<number>(BUCKET_FLOORS.length).fill(0)).get(r.communityId)!;
              counts[r.bucket] += r.n;
            }
          })
        : []),
      ...edges.map(async (edge) => {
        for (const r of await this.ledger.durationsIn(all, edge)) {
          for (const kind of DURATION_KINDS) {
            const v = kind === 'claim' ? r.claimMs : r.resolveMs;
            if (v === null) continue;
            const e = edgeValues.get(kind)!;
            (e.get(r.communityId) ?? e.set(r.communityId, []).get(r.communityId)!).push(v);
          }
        }
      }),
    ]);
    const seen = new Map<string, Promise<DurationStats>>();
    const statsOf = (kind: DurationKind, ids: number[]): Promise<DurationStats> => {
      const key = `${kind}:${ids.join(',')}`;
      let p = seen.get(key);
      if (!p) seen.set(key, (p = this.rankedStats(kind, ids, hist.get(kind)!, edgeValues.get(kind)!, full?.period)));
      return p;
    };
    return Promise.all(parts.map(async (ids) => ({ claim: await statsOf('claim', ids), resolve: await statsOf('resolve', ids) })));
  }

  private async rankedStats(kind: DurationKind, ids: number[], hist: Map<number, number[]>, edgeValues: Map<number, number[]>, fullPeriod: Period | undefined): Promise<DurationStats> {
    const nb = BUCKET_FLOORS.length;
    const fullCounts = new Array<number>(nb).fill(0);
    const edgeByBucket: number[][] = Array.from({ length: nb }, () => []);
    for (const id of ids) {
      const h = hist.get(id);
      if (h) for (let b = 0; b < nb; b++) fullCounts[b] += h[b];
      for (const v of edgeValues.get(id) ?? []) edgeByBucket[durationBucket(v)].push(v);
    }
    for (const e of edgeByBucket) e.sort((a, b) => a - b);
    const n = fullCounts.reduce((a, x) => a + x, 0) + edgeByBucket.reduce((a, e) => a + e.length, 0);
    const values = new Map<number, number>();
    await Promise.all(
      neededRanks(n).map(async (k) => {
        let b = 0;
        let before = 0;
        while (before + fullCounts[b] + edgeByBucket[b].length < k) before += fullCounts[b] + edgeByBucket[b++].length;
        const r = k - before; // rank inside bucket b
        const lo = BUCKET_FLOORS[b];
        const hi = b + 1 < nb ? BUCKET_FLOORS[b + 1] : Infinity;
        const edge = edgeByBucket[b];
        if (fullCounts[b] === 0 || !fullPeriod) return void values.set(k, edge[r - 1]);
        if (edge.length === 0) return void values.set(k, (await this.ledger.durationsInBucket(kind, ids, fullPeriod, lo, hi, r - 1, 1))[0]);
        const merged = [...(await this.ledger.durationsInBucket(kind, ids, fullPeriod, lo, hi, 0, Math.min(r, fullCounts[b]))), ...edge].sort((x, y) => x - y);
        values.set(k, merged[r - 1]);
      }),
    );
    return statsAtRanks(n, (k) => values.get(k)!);
  }

  /**
   * The funds (budget, spent, pending, remaining) of the communities the export covers, for each
   * Beijing year its date range touches (the current year without one): the xlsx's 经费 sheet.
   */
  async exportFunds(actor: Actor, q: LedgerExportQueryDto): Promise<FundView[]> {
    const thisYear = localYear(this.clock.now());
    const first = q.from ? Number(q.from.slice(0, 4)) : q.to ? Number(q.to.slice(0, 4)) : thisYear;
    const last = q.to ? Number(q.to.slice(0, 4)) : Math.max(first, q.from ? thisYear : first);
    const years = Array.from({ length: Math.min(5, last - first + 1) }, (_, i) => last - i).reverse();
    const funds = await this.funds.listYears(actor, years);
    const org: RatesTarget | null =
      q.communityId !== undefined ? { kind: 'community', id: q.communityId } : q.streetId !== undefined ? { kind: 'street', id: q.streetId } : q.districtId !== undefined ? { kind: 'district', id: q.districtId } : null;
    if (!org) return funds;
    const ids = new Set((await this.ledger.communitiesOf(org)).map((c) => c.id));
    return funds.filter((f) => ids.has(f.communityId));
  }

  /** A signed link to the export with these filters, for a browser or WeChat's downloadFile (which cannot send the bearer token). */
  async exportLink(actor: Actor, dto: LedgerExportLinkDto): Promise<LedgerExportLink> {
    const { format, ...q } = dto;
    await this.rowsOf(actor, 'export'); // refuse now rather than at download (and again then)
    this.filters(q); // dates checked now too
    // jti: the link is single-use; ver: logging out (or being deactivated) revokes it with the session.
    const { token, expiresAt } = this.tokens.issueScoped(actor.userId, EXPORT_AUD, { f: format, q, jti: randomUUID(), ver: actor.tokenVersion }, EXPORT_LINK_TTL_S);
    return { url: `/api/ledger/download?token=${token}`, fileName: exportFileName(this.clock.now(), format), expiresAt: expiresAt.toISOString() };
  }

  /**
   * Who asked for a download link and what; the actor is loaded afresh, so a revoked grant
   * no longer exports. A link works once (410 EXPORT_LINK_USED after), and not at all once
   * its owner logged out, was deactivated or deleted the account.
   */
  async redeemExportLink(token: string): Promise<{ actor: Actor; format: ExportFormat; q: LedgerExportQueryDto }> {
    const claims = this.tokens.verifyScoped(token, EXPORT_AUD);
    const format = claims?.f;
    if (!claims || (format !== 'csv' && format !== 'xlsx') || typeof claims.q !== 'object' || claims.q === null || typeof claims.jti !== 'string') {
      throw new LedgerException('EXPORT_LINK_INVALID');
    }
    const actor = await this.actors.load(claims.userId);
    if (!actor || actor.deleted || actor.tokenVersion !== Number(claims.ver ?? 0)) throw new LedgerException('EXPORT_LINK_INVALID');
    if (!(await this.ledger.spendExportLink(claims.jti.slice(0, 64), actor.userId, this.clock.now()))) throw new LedgerException('EXPORT_LINK_USED');
    return { actor, format, q: claims.q as LedgerExportQueryDto };
  }

  /** Members by wishes they resolved in the period (resolved_at), never by mere claims. */
  async ranking(actor: Actor, q: LedgerRatesQueryDto): Promise<LedgerRanking> {
    const { target } = await this.target(actor, q);
    const period = localPeriod(q.from, q.to);
    const rows = await this.ledger.ranking(this.ledger.targetWhere((await this.communities(target)).map((c) => c.id)), period.from!, period.to!, RANKING_SIZE);
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

  /** The ledger rows of WISH_READS the actor reads through the roles of an ability (ledger, export); FORBIDDEN without it. */
  async rowsOf(actor: Actor, ability: 'ledger' | 'export'): Promise<{ where: ReturnType<typeof rowsSql>; reach: Reach }> {
    if (!this.policy.can(actor, ability)) {
      throw new LedgerException('FORBIDDEN', ability === 'ledger' ? '只有社区、小区党支部、街道、联点单位和组织部门可以查看台账' : '只有社区党委和组织部门可以导出台账').because(`${ability}: no grant`);
    }
    const reach = await this.policy.reach(actor);
    const roles = ABILITY_RULES[ability].roles;
    return { where: rowsSql(readRules({ ledger: true, roles: roles === 'anyone' ? undefined : roles }), reach), reach };
  }

  /** The organisation the rates are asked for, if it lies wholly inside the actor's `rates` grants. */
  async target(actor: Actor, q: Pick<LedgerRatesQueryDto, 'scope' | 'orgId'>): Promise<{ target: RatesTarget; name: string }> {
    if (!this.policy.can(actor, 'rates')) throw new LedgerException('FORBIDDEN', '无权查看三率和数据看板').because('rates: no grant');
    let orgId = q.orgId;
    if (orgId === undefined) {
      const cities = this.policy.grantsFor(actor, 'rates').filter((g) => g.orgKind === 'city');
      if (q.scope !== 'city' || cities.length !== 1) throw new LedgerException('VALIDATION_FAILED', undefined, ['orgId is required']);
      orgId = cities[0].orgId;
    }
    const org = await this.orgs.findById(orgId);
    if (!org || org.kind !== q.scope) throw new LedgerException('ORG_NOT_FOUND');
    if (!(await this.policy.canAt(actor, 'rates', org.id))) throw new LedgerException('FORBIDDEN', '无权查看该范围的台账').because('rates: target outside the grants');
    return { target: { kind: q.scope, id: org.id }, name: org.name };
  }

  private filters(q: LedgerExportQueryDto): LedgerFilters {
    const period = localPeriod(q.from, q.to);
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
      search: this.search(q.q),
    };
  }

  /** The search box as the repository matches it: a phone becomes its keyed hash here, and nothing else of it is kept. */
  private search(text: string | undefined): LedgerSearchFilter | undefined {
    const s = parseLedgerSearch(text);
    if (!s) return undefined;
    if (s.kind === 'phone') return { kind: 'phone', hash: this.db.pii.phoneHash(s.digits) };
    if (s.kind === 'title') return s;
    const from = localDayStart(s.day);
    return { kind: 'no', id: s.id, from, to: from && new Date(from.getTime() + 86_400_000) };
  }

  /** Ledger lines as this reader sees them: the claimant named in full only for the community's staff (access.ts claimantName). */
  async items(rows: LedgerRow[], now: Date, reach: Reach): Promise<LedgerWishItem[]> {
    const names = await this.users.names(rows.map((r) => r.claimantId ?? 0).filter(Boolean));
    return rows.map((r) => toLedgerItem(r, names, now, this.policy.wish(reach, r).sees.claimantName));
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
