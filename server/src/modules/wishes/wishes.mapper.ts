import { CONTENT_LABELS, maskAddress, maskName, maskPhone, type ContentCheckView, type PhotoView, type WishDetail, type WishEventView, type WishSummary, type WishAction } from '@xinyuan/shared';
import type { Organisation } from '../organisations/organisation.entity';
import type { Wish, WishEvent } from './wish.entity';

/** Wish numbers are derived, not stored: XY + submission date (Beijing) + id. */
export function wishNo(w: Pick<Wish, 'id' | 'createdAt'>): string {
  const d = new Date(w.createdAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return `XY${d}${String(w.id).padStart(6, '0')}`;
}

/** The content check as reviewers read it (null until the wish was checked). */
export function toContentCheck(w: Pick<Wish, 'contentCheck' | 'contentLabel' | 'contentCheckedAt'>): ContentCheckView | null {
  if (!w.contentCheck) return null;
  return { result: w.contentCheck, label: w.contentLabel !== null ? (CONTENT_LABELS[w.contentLabel] ?? `其他(${w.contentLabel})`) : null, checkedAt: w.contentCheckedAt ? w.contentCheckedAt.toISOString() : null };
}

export function toSummary(w: Wish, orgs: Map<number, Organisation>, seesFull: boolean, photoCount: number, isStaff = false): WishSummary {
  const compoundName = w.compoundId ? (orgs.get(w.compoundId)?.name ?? null) : null;
  return {
    id: w.id,
    no: wishNo(w),
    title: w.title,
    category: w.category,
    state: w.state,
    tier: w.tier,
    urgent: w.urgent,
    communityId: w.communityId,
    communityName: orgs.get(w.communityId)?.name ?? '',
    compoundName,
    beneficiary: seesFull
      ? { name: w.beneficiaryName, phone: w.beneficiaryPhone, address: [compoundName, w.address].filter(Boolean).join(' ') }
      : { name: maskName(w.beneficiaryName), phone: maskPhone(w.beneficiaryPhone), address: maskAddress(compoundName, w.address) },
    masked: !seesFull,
    onBehalf: w.onBehalf,
    photoCount,
    createdAt: w.createdAt.toISOString(),
    publishedAt: w.publishedAt ? w.publishedAt.toISOString() : null,
    contentCheck: isStaff ? toContentCheck(w) : null,
  };
}

export function toEventView(e: WishEvent, names: Map<number, string>): WishEventView {
  return {
    id: e.id,
    type: e.type,
    fromState: e.fromState,
    toState: e.toState,
    fromTier: e.fromTier,
    toTier: e.toTier,
    actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
    actorRole: e.actorRole,
    reason: e.reason,
    at: e.createdAt.toISOString(),
  };
}

export interface DetailParts {
  now: Date;
  orgs: Map<number, Organisation>;
  seesFull: boolean;
  photos: { wish: PhotoView[]; proof: PhotoView[] };
  events: WishEvent[];
  names: Map<number, string>;
  actions: WishAction[];
  /** Community staff of the wish: see the content check. */
  isStaff: boolean;
  /** The wish this one was cancelled as a duplicate of. */
  duplicateOf: Pick<Wish, 'id' | 'createdAt'> | null;
}

export function toDetail(w: Wish, p: DetailParts): WishDetail {
  return {
    ...toSummary(w, p.orgs, p.seesFull, p.photos.wish.length, p.isStaff),
    description: w.description,
    consentMethod: w.consentMethod,
    photos: p.photos.wish,
    claimant: w.claimantId ? { id: w.claimantId, name: p.names.get(w.claimantId) ?? '' } : null,
    claimedAt: w.claimedAt ? w.claimedAt.toISOString() : null,
    proof: w.completedAt && w.proofNote !== null ? { note: w.proofNote, photos: p.photos.proof, completedAt: w.completedAt.toISOString() } : null,
    rating: w.rating,
    ratingComment: w.ratingComment,
    resolvedAt: w.resolvedAt ? w.resolvedAt.toISOString() : null,
    timeline: p.events.map((e) => toEventView(e, p.names)),
    actions: p.actions,
    assignee: w.assigneeId ? { id: w.assigneeId, name: p.names.get(w.assigneeId) ?? '' } : null,
    windowEndsAt: w.state === 'open' && w.windowEndsAt ? w.windowEndsAt.toISOString() : null,
    dueAt: w.state === 'claimed' && w.dueAt ? w.dueAt.toISOString() : null,
    supervisedAt: w.supervisedAt ? w.supervisedAt.toISOString() : null,
    overdue: w.state === 'claimed' && !!w.dueAt && w.dueAt.getTime() < p.now.getTime(),
    duplicateOf: p.duplicateOf ? { id: p.duplicateOf.id, no: wishNo(p.duplicateOf) } : null,
  };
}
