// The ledger's hash chain (README, "A ledger that shows tampering"). Pure functions:
// what an event's hash covers, how an event is sealed onto its wish's chain, how a
// chain is walked to find its first broken link, and the day's digest (台账校验码).
//
// One chain per wish: event n of a wish carries seq = n and
//   chain_hash = sha256(canonical(content of the event, seq, text digest) + previous event's chain_hash)
// and the wish row keeps the chain's head (chain_seq, chain_head), written by the same guarded
// UPDATE that makes the move. Free text (a reason, a confirmation's comment) is covered through
// its digest (text_digest), so PIPL's erasure of that text leaves the chain valid.
import { createHash } from 'node:crypto';
import { ERASED_TEXT } from '@xinyuan/shared';

/** Named in every hash, so a later change of what is covered can be told apart. */
export const CHAIN_VERSION = 'xy-ledger-1';
const DAY_VERSION = 'xy-ledger-day-1';

/** The columns of an event the chain covers (wish_event, as written and as read back). */
export interface ChainContent {
  wishId: number;
  type: string;
  fromState: string | null;
  toState: string;
  fromTier: number | null;
  toTier: number | null;
  actorId: number | null;
  actorRole: string | null;
  actorOrgId: number | null;
  reason: string | null;
  payload: Record<string, unknown> | null;
  createdAt: Date;
}

/** Where a wish's chain ends: its last event's seq (0: no event yet) and hash. Kept on the wish row. */
export interface ChainHead {
  seq: number;
  hash: string | null;
}

/** What sealing adds to an event. */
export interface ChainSeal {
  seq: number;
  textDigest: string | null;
  chainHash: string;
}

/** An event as stored: its content, its id and its seal (null: never sealed). */
export interface StoredChainEvent extends ChainContent {
  id: number;
  seq: number | null;
  textDigest: string | null;
  chainHash: string | null;
}

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Payload keys holding free text a person typed (account deletion erases them): covered by the text digest. */
const FREE_TEXT_KEYS: readonly string[] = ['comment'];

const commentOf = (payload: Record<string, unknown> | null): string | null => (payload && typeof payload.comment === 'string' ? payload.comment : null);

/** The digest of the free text of an event: its reason and a confirmation's comment (null: neither). */
export function textDigest(reason: string | null, payload: Record<string, unknown> | null): string | null {
  const comment = commentOf(payload);
  if (reason === null && comment === null) return null;
  return sha256(JSON.stringify([reason, comment]));
}

/** The text as account deletion leaves it (privacy.service.ts redactAuthoredText): the reason replaced, the comment gone. */
export function looksErased(reason: string | null, payload: Record<string, unknown> | null): boolean {
  return (reason === null || reason === ERASED_TEXT) && commentOf(payload) === null && (reason !== null || (payload !== null && 'comment' in payload));
}

/** JSON with object keys sorted at every level, as JSON.stringify would write the value (undefined members dropped). */
export function stableJson(v: unknown): string {
  return JSON.stringify(sortKeys(JSON.parse(JSON.stringify(v ?? null))));
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v;
}

/** The payload as the hash covers it: without its free text (that is in the text digest). */
function payloadForHash(payload: Record<string, unknown> | null): string | null {
  if (payload === null || payload === undefined) return null;
  const rest = { ...payload };
  for (const k of FREE_TEXT_KEYS) delete rest[k];
  return stableJson(rest);
}

/**
 * The hash of one event: a JSON array of the version, the wish, seq, type, states, tiers,
 * actor (id, role, organisation), the text digest, the payload without free text (keys sorted),
 * created_at in epoch milliseconds (DATETIME(3) on MariaDB, millisecond text on SQLite: both
 * read back the same instant), and the previous event's hash ('' for the first).
 */
export function eventHash(e: ChainContent, seq: number | null, digest: string | null, prev: string | null): string {
  return sha256(
    JSON.stringify([
      CHAIN_VERSION,
      Number(e.wishId),
      seq,
      e.type,
      e.fromState ?? null,
      e.toState,
      num(e.fromTier),
      num(e.toTier),
      num(e.actorId),
      e.actorRole ?? null,
      num(e.actorOrgId),
      digest,
      payloadForHash(e.payload ?? null),
      e.createdAt.getTime(),
      prev ?? '',
    ]),
  );
}
const num = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

/** Seals an event onto the chain that ends at `head`; the new head is { seq, hash: chainHash }. */
export function seal(e: ChainContent, head: ChainHead): ChainSeal {
  const seq = head.seq + 1;
  const digest = textDigest(e.reason, e.payload ?? null);
  return { seq, textDigest: digest, chainHash: eventHash(e, seq, digest, head.hash) };
}

export type BreakKind = 'edited' | 'missing' | 'inserted';

/** A broken link: where, what kind, and what the chain expected against what the rows say. */
export interface ChainBreak {
  wishId: number;
  /** The event at which the chain breaks (null: at the head kept on the wish row, after the last event). */
  eventId: number | null;
  seq: number | null;
  kind: BreakKind;
  expected: string;
  found: string;
  /** In words. */
  detail: string;
}

export interface WishWalk {
  breaks: ChainBreak[];
  /** Events whose free text was erased under PIPL (account deletion): valid. */
  erased: number;
  /** Each event's hash as recomputed from the row now (what the day's digest covers), by event id. */
  recomputed: Map<number, string>;
}

/**
 * Walks one wish's events (in id order) against its head. `deletedActors`: accounts deleted
 * under PIPL, whose typed text may read ERASED_TEXT without breaking the chain.
 * Kinds: an event without a seal, or with a seq already used, or events past the head: inserted;
 * a gap in seq, or a head past the last event: missing; a row whose content no longer hashes to
 * its seal (or whose text digest changed without an erasure): edited.
 */
export function walkWish(wishId: number, head: ChainHead, events: StoredChainEvent[], deletedActors: ReadonlySet<number>): WishWalk {
  const breaks: ChainBreak[] = [];
  const recomputed = new Map<number, string>();
  let erased = 0;
  let seq = 0;
  let prev: string | null = null;
  const brk = (e: StoredChainEvent | null, s: number | null, kind: BreakKind, expected: string, found: string, detail: string) =>
    breaks.push({ wishId, eventId: e ? e.id : null, seq: s, kind, expected, found, detail });
  for (const e of events) {
    const current = textDigest(e.reason, e.payload);
    let digest = current;
    let erasedHere = false;
    if (e.chainHash === null || e.seq === null) {
      recomputed.set(e.id, eventHash(e, null, current, prev));
      brk(e, null, 'inserted', `event ${seq + 1} of the chain, sealed`, 'an event without a hash', `event ${e.id} was written outside the ledger (no seq, no hash)`);
      continue;
    }
    if (current !== e.textDigest && e.textDigest !== null && looksErased(e.reason, e.payload) && e.actorId !== null && deletedActors.has(Number(e.actorId))) {
      digest = e.textDigest;
      erasedHere = true;
    }
    const h = eventHash(e, e.seq, digest, prev);
    recomputed.set(e.id, h);
    if (e.seq <= seq) {
      brk(e, e.seq, 'inserted', `seq ${seq + 1}`, `seq ${e.seq}`, `event ${e.id} repeats seq ${e.seq} of the chain`);
      continue;
    }
    if (e.seq > seq + 1) {
      brk(e, e.seq, 'missing', `seq ${seq + 1}`, `seq ${e.seq}`, `${e.seq - seq - 1} event(s) before event ${e.id} are missing`);
    } else if (digest !== e.textDigest) {
      brk(e, e.seq, 'edited', `text digest ${e.textDigest ?? 'none'}`, `text digest ${digest ?? 'none'}`, `the reason or comment of event ${e.id} was changed`);
    } else if (h !== e.chainHash) {
      brk(e, e.seq, 'edited', `hash ${e.chainHash}`, `hash ${h}`, `event ${e.id} no longer matches its hash (a column was changed, or an earlier event was)`);
    } else if (erasedHere) {
      erased++;
    }
    seq = e.seq;
    prev = e.chainHash;
  }
  if (head.seq > seq) {
    brk(null, head.seq, 'missing', `seq ${head.seq} (head ${head.hash ?? 'none'})`, `last event seq ${seq}`, `the last ${head.seq - seq} event(s) of the wish are missing`);
  } else if (head.seq < seq) {
    brk(null, seq, 'inserted', `head seq ${head.seq}`, `seq ${seq}`, `events after the head kept on the wish were added`);
  } else if (seq > 0 && head.hash !== prev) {
    brk(null, seq, 'edited', `head ${head.hash ?? 'none'}`, `hash ${prev}`, `the last event's hash differs from the head kept on the wish`);
  }
  return { breaks, erased, recomputed };
}

/**
 * The day's digest (台账校验码) of an organisation: sha256 over the version, the scope, the
 * Beijing day and the hash of each of that day's events (created_at on that day, id order),
 * each recomputed from the row as it reads now. An intact ledger's recomputed hashes are the
 * stored ones, so anyone can recompute the digest from the rows.
 */
export class DayDigest {
  private readonly h = createHash('sha256');
  events = 0;
  lastEventId: number | null = null;

  constructor(scope: string, orgId: number, day: string) {
    this.h.update(`${DAY_VERSION}\n${scope}:${orgId}\n${day}\n`, 'utf8');
  }

  add(eventId: number, hash: string): void {
    this.h.update(`${hash}\n`, 'utf8');
    this.events++;
    this.lastEventId = eventId;
  }

  hex(): string {
    return this.h.digest('hex');
  }
}
