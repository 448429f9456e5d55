import { Injectable } from '@nestjs/common';
import type { ChainBreakView, LedgerDayDigest, LedgerScopeKind, LedgerVerifyReport } from '@xinyuan/shared';
import { Database } from '../../database/database';
import { DAY_MS, localDay, localDayStart } from '../../common/time';
import { DayDigest, walkWish, type ChainBreak, type StoredChainEvent } from '../wishes/event-chain';
import { eventOfRow } from '../wishes/event-chain.backfill';

/** A local (Beijing) day YYYY-MM-DD as [start, end); null when no such day exists. */
export function beijingDayRange(day: string): { day: string; start: Date; end: Date } | null {
  const start = localDayStart(day);
  return start ? { day, start, end: new Date(start.getTime() + DAY_MS) } : null;
}

/** The local day before the one `now` falls on: the last whole day. */
export function beijingYesterday(now: Date): string {
  return localDay(new Date(now.getTime() - DAY_MS));
}

/** Wishes read per batch: a batch's wishes and all their events are in memory at once, nothing more. */
const WISH_BATCH = 1000;
const EVENT_COLS = 'id, wish_id, type, from_state, to_state, from_tier, to_tier, actor_id, actor_role, actor_org_id, reason, payload, created_at, seq, text_digest, chain_hash';

export interface VerifyScope {
  kind: LedgerScopeKind;
  orgId: number;
  /** The organisation's communities (current hierarchy, as the rates); null: every wish (the command line without --org). */
  communityIds: number[] | null;
}

export interface VerifyOptions {
  wishId?: number;
  /** A Beijing day: the chains of the wishes with events that day, and the day's digest. */
  day?: { day: string; start: Date; end: Date };
  /** The day's digest over events up to this id (a printed 截至事件 #N). */
  upTo?: number;
  /** Called after each batch (the command line's progress). */
  onBatch?: (s: { wishes: number; events: number }) => void;
}

/** What one walk found: the API's report without its scope and the printed-digest comparison. */
export type VerifyResult = Omit<LedgerVerifyReport, 'scope' | 'orgId' | 'digestMatches'>;

/**
 * Walks the hash chains of the ledger (wishes/event-chain.ts) batch by batch, in wish id order, and
 * computes a day's digest (台账校验码). Read-only; never re-seals anything.
 */
@Injectable()
export class ChainVerifier {
  constructor(private readonly db: Database) {}

  async verify(scope: VerifyScope, opts: VerifyOptions = {}): Promise<VerifyResult> {
    const t0 = Date.now();
    const q = (sql: string, params: unknown[] = []) => this.db.dataSource.query(sql, params);
    const deleted = new Set<number>((await q(`SELECT id FROM app_user WHERE deleted_at IS NOT NULL`)).map((r: { id: unknown }) => Number(r.id)));
    const inScope = scope.communityIds === null ? { sql: '1 = 1', params: [] as number[] } : scope.communityIds.length ? { sql: `w.community_id IN (${scope.communityIds.map(() => '?').join(', ')})`, params: scope.communityIds } : { sql: '1 = 0', params: [] };
    const res: VerifyResult = { ok: true, wishes: 0, events: 0, erased: 0, brokenWishes: 0, firstBreak: null, day: null, tookMs: 0 };
    const dayHashes: [number, string][] = [];
    const day = opts.day;

    const walkBatch = async (ids: number[]) => {
      if (ids.length === 0) return;
      const marks = ids.map(() => '?').join(', ');
      const heads: { id: unknown; chain_seq: unknown; chain_head: string | null }[] = await q(`SELECT id, chain_seq, chain_head FROM wish WHERE id IN (${marks})`, ids);
      const rows: Record<string, unknown>[] = await q(`SELECT ${EVENT_COLS} FROM wish_event WHERE wish_id IN (${marks}) ORDER BY wish_id, id`, ids);
      const byWish = new Map<number, StoredChainEvent[]>();
      for (const r of rows) {
        const e: StoredChainEvent = { ...eventOfRow(r), seq: r.seq === null || r.seq === undefined ? null : Number(r.seq), textDigest: (r.text_digest as string | null) ?? null, chainHash: (r.chain_hash as string | null) ?? null };
        (byWish.get(e.wishId) ?? byWish.set(e.wishId, []).get(e.wishId)!).push(e);
      }
      const headOf = new Map(heads.map((h) => [Number(h.id), { seq: Number(h.chain_seq ?? 0), hash: h.chain_head ?? null }]));
      for (const id of ids) {
        const events = byWish.get(id) ?? [];
        const walk = walkWish(id, headOf.get(id) ?? { seq: 0, hash: null }, events, deleted);
        res.wishes++;
        res.events += events.length;
        res.erased += walk.erased;
        if (walk.breaks.length) {
          res.brokenWishes++;
          res.firstBreak ??= view(walk.breaks[0]);
        }
        if (day) {
          for (const e of events) {
            const at = e.createdAt.getTime();
            if (at >= day.start.getTime() && at < day.end.getTime() && (opts.upTo === undefined || e.id <= opts.upTo)) dayHashes.push([e.id, walk.recomputed.get(e.id)!]);
          }
        }
      }
      opts.onBatch?.({ wishes: res.wishes, events: res.events });
    };

    if (opts.wishId !== undefined) {
      const [w] = await q(`SELECT w.id FROM wish w WHERE w.id = ? AND ${inScope.sql}`, [opts.wishId, ...inScope.params]);
      if (w) await walkBatch([Number(w.id)]);
    } else if (day) {
      // The wishes with an event that day (idx_wish_event_time), then each one's whole chain.
      const upTo = opts.upTo === undefined ? '' : ' AND e.id <= ?';
      const ids: number[] = (
        await q(
          `SELECT DISTINCT e.wish_id FROM wish_event e JOIN wish w ON w.id = e.wish_id WHERE e.created_at >= ? AND e.created_at < ?${upTo} AND ${inScope.sql} ORDER BY e.wish_id`,
          [this.db.time(day.start), this.db.time(day.end), ...(opts.upTo === undefined ? [] : [opts.upTo]), ...inScope.params],
        )
      ).map((r: { wish_id: unknown }) => Number(r.wish_id));
      for (let i = 0; i < ids.length; i += WISH_BATCH) await walkBatch(ids.slice(i, i + WISH_BATCH));
    } else {
      let after = 0;
      for (;;) {
        const ids: number[] = (await q(`SELECT w.id FROM wish w WHERE w.id > ? AND ${inScope.sql} ORDER BY w.id LIMIT ${WISH_BATCH}`, [after, ...inScope.params])).map((r: { id: unknown }) => Number(r.id));
        if (ids.length === 0) break;
        await walkBatch(ids);
        after = ids[ids.length - 1];
      }
      if (scope.communityIds === null) {
        // Events of no wish at all: written outside the ledger.
        const [orphan] = await q(`SELECT e.id, e.wish_id, e.seq FROM wish_event e LEFT JOIN wish w ON w.id = e.wish_id WHERE w.id IS NULL ORDER BY e.id LIMIT 1`);
        if (orphan) {
          res.brokenWishes++;
          res.firstBreak ??= { wishId: Number(orphan.wish_id), eventId: Number(orphan.id), seq: orphan.seq === null ? null : Number(orphan.seq), kind: 'inserted', expected: 'an event of an existing wish', found: `wish ${orphan.wish_id} does not exist`, detail: `event ${orphan.id} belongs to no wish` };
        }
      }
    }

    if (day) {
      dayHashes.sort((a, b) => a[0] - b[0]);
      const d = new DayDigest(scope.kind, scope.orgId, day.day);
      for (const [id, h] of dayHashes) d.add(id, h);
      res.day = { scope: scope.kind, orgId: scope.orgId, day: day.day, events: d.events, lastEventId: d.lastEventId, digest: d.hex(), chainsOk: res.firstBreak === null };
    }
    res.ok = res.firstBreak === null;
    res.tookMs = Date.now() - t0;
    return res;
  }

  /** One Beijing day's digest of a scope (with whether the chains of that day's wishes verify). */
  /**
   * The digest of one local day. With `keepIfBefore` (today), a closed day's digest is kept once
   * worked out (ledger_day_digest, see its migration) and read back after: printed as "up to
   * event N" it stays true, and the dashboard prints yesterday's on every load (a city's day at a
   * million wishes walks thousands of chains). verify() always recomputes.
   */
  async dayDigest(scope: VerifyScope, day: string, keepIfBefore?: string): Promise<LedgerDayDigest> {
    const range = beijingDayRange(day);
    if (!range) throw new Error(`not a day: ${day}`);
    const keep = keepIfBefore !== undefined && day < keepIfBefore && scope.communityIds !== null;
    if (keep) {
      const rows: Record<string, unknown>[] = await this.db.dataSource.query(`SELECT events, last_event_id, digest, chains_ok FROM ledger_day_digest WHERE scope = ? AND org_id = ? AND day = ?`, [scope.kind, scope.orgId, day]);
      if (rows.length) {
        const r = rows[0];
        return { scope: scope.kind, orgId: scope.orgId, day, events: Number(r.events), lastEventId: r.last_event_id === null ? null : Number(r.last_event_id), digest: String(r.digest), chainsOk: !!Number(r.chains_ok) };
      }
    }
    const d = (await this.verify(scope, { day: range })).day!;
    if (keep) {
      const ignore = this.db.isSqlite ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
      await this.db.dataSource.query(`${ignore} INTO ledger_day_digest (scope, org_id, day, events, last_event_id, digest, chains_ok, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
        scope.kind,
        scope.orgId,
        day,
        d.events,
        d.lastEventId,
        d.digest,
        d.chainsOk,
        this.db.time(new Date()),
      ]);
    }
    return d;
  }
}

function view(b: ChainBreak): ChainBreakView {
  return { wishId: b.wishId, eventId: b.eventId, seq: b.seq, kind: b.kind, expected: b.expected, found: b.found, detail: b.detail };
}
