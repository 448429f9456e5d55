import type {
  CancelWishRequest,
  CompleteWishRequest,
  Desk,
  DeskCounts,
  DeskWishSummary,
  MarkUrgentRequest,
  ConfirmWishRequest,
  MyWishesQuery,
  Page,
  ReasonRequest,
  RejectWishRequest,
  SubmitWishRequest,
  WallQuery,
  WishDetail,
  WishSummary,
} from '@xinyuan/shared';
import { isApiError, keepsIdempotencyKey, newIdempotencyKey, request } from './request';

const move = <B extends object | undefined>(id: number, action: string, body?: B) =>
  request<WishDetail>(`/wishes/${id}/${action}`, { method: 'POST', data: body ?? {} });

export const wishesApi = {
  submit: (body: SubmitWishRequest) => request<WishDetail>('/wishes', { method: 'POST', data: body }),
  mine: (q: MyWishesQuery = {}) => request<Page<WishSummary>>('/wishes/mine', { query: { ...q } }),
  claimed: (q: MyWishesQuery = {}) => request<Page<WishSummary>>('/wishes/claimed', { query: { ...q } }),
  wall: (q: WallQuery = {}) => request<Page<WishSummary>>('/wishes/wall', { query: { ...q } }),
  detail: (id: number) => request<WishDetail>(`/wishes/${id}`),
  /** The desks (unit, street) this person holds, with the counts of their home tiles. */
  deskCounts: () => request<DeskCounts[]>('/wishes/desk/counts'),
  /** What waits at the desk's tier, oldest first. */
  deskQueue: (desk: Desk, q: { cursor?: string } = {}) => request<Page<DeskWishSummary>>('/wishes/desk/queue', { query: { desk, ...q } }),
  /** What the desk's organisation claimed, newest first (one state, or all). */
  deskHandled: (desk: Desk, q: MyWishesQuery = {}) => request<Page<DeskWishSummary>>('/wishes/desk/handled', { query: { desk, ...q } }),
  /** The red list (督办): the street's wishes unclaimed through tier 4. */
  supervised: (q: MyWishesQuery = {}) => request<Page<WishSummary>>('/wishes/supervised', { query: { ...q } }),
  approve: (id: number) => move(id, 'approve'),
  reject: (id: number, body: RejectWishRequest) => move(id, 'reject', body),
  claim: (id: number) => move(id, 'claim'),
  release: (id: number, body: CancelWishRequest = {}) => move(id, 'release', body),
  complete: (id: number, body: CompleteWishRequest) => move(id, 'complete', body),
  confirm: (id: number, body: ConfirmWishRequest) => move(id, 'confirm', body),
  dispute: (id: number, body: ReasonRequest) => move(id, 'dispute', body),
  /** A submitter's own cancellation sends no code (the server records 居民撤回); staff send one. */
  cancel: (id: number, body: CancelWishRequest = {}) => move(id, 'cancel', body),
  /** 催办: the submitter, once a day after the step's expected time. */
  urge: (id: number) => request<WishDetail>(`/wishes/${id}/urge`, { method: 'POST', data: {} }),
  markUrgent: (id: number, body: MarkUrgentRequest) => request<WishDetail>(`/wishes/${id}/urgent`, { method: 'POST', data: body }),
};

/**
 * A submission whose answer has not come yet, kept with the draft: its idempotency key, and
 * every body sent under it (the person may edit the draft between tries; the server knows the
 * key by the first body that reached it).
 */
export interface PendingSubmit {
  key: string;
  bodies: SubmitWishRequest[];
}

export interface SubmitOnceHooks {
  /** Keeps the pending submission with the draft, on the device at once (null: nothing pending any more). */
  keep(p: PendingSubmit | null): void;
  /** The reply was lost: say that whether it arrived is being checked. */
  confirming(): void;
  sleep?: (ms: number) => Promise<void>;
}

/** Pauses before asking again after a lost reply. */
export const CONFIRM_DELAYS_MS = [1000, 2000, 4000];

const sameBody = (a: SubmitWishRequest, b: SubmitWishRequest) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Submits a draft once, whatever the network does: one idempotency key per draft, kept with it
 * until an answer comes, so a resubmission after a lost reply returns the wish the server
 * already saved instead of making a second. After a lost reply it asks again (same key, same
 * body) a few times; if the key turns out to have reached the server with an earlier body
 * (IDEMPOTENCY_KEY_REUSED), that earlier body fetches the saved wish. Throws when there is no
 * answer after the last try (the key stays with the draft) or on a refusal (the key is dropped:
 * the next try is a new request).
 */
export async function submitOnce(body: SubmitWishRequest, pending: PendingSubmit | null, hooks: SubmitOnceHooks): Promise<WishDetail> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const p: PendingSubmit = pending?.key ? { key: pending.key, bodies: pending.bodies ?? [] } : { key: newIdempotencyKey(), bodies: [] };
  if (!p.bodies.some((b) => sameBody(b, body))) p.bodies = [...p.bodies, body];
  // Written before the request leaves: a reply lost with the app closed still finds its key.
  hooks.keep(p);
  const earlier = p.bodies.filter((b) => !sameBody(b, body)).reverse();
  let sending = body;
  for (let lost = 0; ; ) {
    try {
      const wish = await request<WishDetail>('/wishes', { method: 'POST', data: sending, idempotencyKey: p.key });
      hooks.keep(null);
      return wish;
    } catch (e) {
      if (isApiError(e) && e.code === 'IDEMPOTENCY_KEY_REUSED' && earlier.length) {
        // An earlier version reached the server under this key: its answer is the truth.
        hooks.confirming();
        sending = earlier.shift()!;
        continue;
      }
      if (!keepsIdempotencyKey(e)) {
        hooks.keep(null);
        throw e;
      }
      if (lost >= CONFIRM_DELAYS_MS.length) throw e;
      hooks.confirming();
      await sleep(CONFIRM_DELAYS_MS[lost++]);
    }
  }
}
