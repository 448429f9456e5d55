import { Injectable } from '@nestjs/common';
import { localDay } from '../../common/time';
import type { LedgerDayDigest, LedgerScopeKind, LedgerVerifyReport } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { beijingDayRange, ChainVerifier } from './chain-verifier';
import type { LedgerExportQueryDto, LedgerVerifyQueryDto } from './ledger.dto';
import { AccessPolicy } from '../../access/policy';
import { LedgerException } from './ledger.exception';
import { LedgerRepository, type RatesTarget } from './ledger.repository';
import { localDayStartOf, LedgerService } from './ledger.service';

/**
 * The ledger's hash chain for people: verification of an organisation's chains and its day's
 * digest (台账校验码). Who may: whoever reads the organisation's whole ledger and rates — the
 * `rates` ability of access.ts (community_admin, street_handler, city_admin, for a target wholly
 * inside the grant), the same reader the dashboard that prints the digest has.
 */
@Injectable()
export class LedgerChainService {
  constructor(
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly repo: LedgerRepository,
    private readonly verifier: ChainVerifier,
    private readonly policy: AccessPolicy,
  ) {}

  async verify(actor: Actor, q: LedgerVerifyQueryDto): Promise<LedgerVerifyReport> {
    if (q.digest !== undefined && q.day === undefined) throw new LedgerException('VALIDATION_FAILED', undefined, ['digest needs day']);
    if (q.upTo !== undefined && q.day === undefined) throw new LedgerException('VALIDATION_FAILED', undefined, ['upTo needs day']);
    if (q.day !== undefined) localDayStartOf(q.day, 'day'); // 400 for a day that does not exist
    const day = q.day === undefined ? undefined : beijingDayRange(q.day)!;
    const { target } = await this.ledger.target(actor, { scope: q.scope, orgId: q.orgId });
    const r = await this.verifier.verify(await this.scopeOf(target), { day, upTo: q.upTo });
    return { scope: target.kind, orgId: target.id, ...r, digestMatches: q.digest === undefined || !r.day ? null : r.day.digest === q.digest.toLowerCase() };
  }

  /** The digest of one Beijing day of a target the caller has already been allowed to read (the export). */
  async dayDigest(target: RatesTarget, day: string): Promise<LedgerDayDigest> {
    return this.verifier.dayDigest(await this.scopeOf(target), day);
  }

  /**
   * The day digests an xlsx export prints (its 台账校验码 sheet): for the organisation the export is
   * filtered to (community, street, district), else each organisation the reader exports for; for
   * each Beijing day of the export's range up to today (the last 7 days without a start; at most 62).
   * The export's other filters do not narrow a digest: it covers every event of the organisation's
   * wishes that day, so it can be recomputed from the database alone. A target the reader may not
   * read the rates of gets no rows.
   */
  async exportDigests(actor: Actor, q: LedgerExportQueryDto): Promise<LedgerDayDigest[]> {
    const today = localDay(this.clock.now());
    const last = q.to && q.to < today ? q.to : today;
    const days: string[] = [];
    for (let d = last; days.length < 62 && (q.from ? d >= q.from : days.length < 7); d = dayBefore(d)) days.unshift(d);
    const wanted: { scope: LedgerScopeKind; orgId: number }[] =
      q.communityId !== undefined ? [{ scope: 'community', orgId: q.communityId }]
      : q.streetId !== undefined ? [{ scope: 'street', orgId: q.streetId }]
      : q.districtId !== undefined ? [{ scope: 'district', orgId: q.districtId }]
      : this.policy.grantsFor(actor, 'export').filter((g) => g.orgKind === 'community' || g.orgKind === 'street' || g.orgKind === 'district' || g.orgKind === 'city').map((g) => ({ scope: g.orgKind as LedgerScopeKind, orgId: g.orgId }));
    const out: LedgerDayDigest[] = [];
    const seen = new Set<string>();
    for (const w of wanted) {
      if (seen.has(`${w.scope}:${w.orgId}`)) continue;
      seen.add(`${w.scope}:${w.orgId}`);
      let target: RatesTarget;
      try {
        target = (await this.ledger.target(actor, w)).target;
      } catch (e) {
        if (e instanceof LedgerException) continue;
        throw e;
      }
      const scope = await this.scopeOf(target);
      for (const day of days) out.push(await this.verifier.dayDigest(scope, day));
    }
    return out;
  }

  async scopeOf(target: RatesTarget): Promise<{ kind: LedgerScopeKind; orgId: number; communityIds: number[] }> {
    return { kind: target.kind, orgId: target.id, communityIds: (await this.repo.communitiesOf(target)).map((c) => c.id) };
  }
}

const dayBefore = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
