import type { Pii } from '../../common/crypto/pii';
import { CONTENT_LABELS, DELETED_USER_NAME, maskName, type ConsentMethod, type ContentCheckView, type PhotoView, type VoiceNoteView, type WishDetail, type WishEventView, type WishField, type WishSummary, type WishAction, type WishTimers } from '@xinyuan/shared';
import type { Organisation } from '../organisations/organisation.entity';
import type { Wish, WishEvent } from './wish.entity';
import { beneficiaryOf, descriptionOf } from './wish-pii';
import { nextStepOf } from './wish-urge';

/** Wish numbers (common/wish-no.ts, which the notices read too). */
import { wishNo } from '../../common/wish-no';
export { wishNo };

/** The content check as reviewers read it (null until the wish was checked). */
export function toContentCheck(w: Pick<Wish, 'contentCheck' | 'contentLabel' | 'contentCheckedAt'>): ContentCheckView | null {
  if (!w.contentCheck) return null;
  return { result: w.contentCheck, label: w.contentLabel !== null ? (CONTENT_LABELS[w.contentLabel] ?? `其他(${w.contentLabel})`) : null, checkedAt: w.contentCheckedAt ? w.contentCheckedAt.toISOString() : null };
}

/** What the access policy lets this reader see of the wish (AccessPolicy.wish → sees). */
export type Sees = Readonly<Record<WishField, boolean>>;

/** A person's name as a reader sees it: in full, or masked (张*); a deleted account's placeholder is no name and stays as it is. */
export const personName = (name: string, full: boolean): string => (full || name === DELETED_USER_NAME ? name : maskName(name));

export function toSummary(pii: Pii, w: Wish, orgs: Map<number, Organisation>, sees: Sees, photoCount: number, actions: WishAction[], reasonRequired: WishAction[]): WishSummary {
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
    beneficiary: beneficiaryOf(pii, w, compoundName, sees.contact),
    masked: !sees.contact,
    contactErased: !!w.contactErasedAt,
    onBehalf: w.onBehalf,
    photoCount: sees.description ? photoCount : 0,
    createdAt: w.createdAt.toISOString(),
    publishedAt: w.publishedAt ? w.publishedAt.toISOString() : null,
    contentCheck: sees.contentCheck ? toContentCheck(w) : null,
    actions,
    reasonRequired,
  };
}

/**
 * One event of the timeline. Names are shown to the submitter and the community's staff
 * (`people`); others read the role and the organisation the actor acted for.
 */
export function toEventView(e: WishEvent, names: Map<number, string>, orgs: Map<number, Pick<Organisation, 'name'>>, people: boolean, contentCheck = false): WishEventView {
  const consent = e.payload && typeof e.payload.consentMethod === 'string' ? (e.payload.consentMethod as ConsentMethod) : null;
  const tc = contentCheck && e.payload ? (e.payload.textCheck as { result?: unknown; label?: unknown } | undefined) : undefined;
  const textCheck: ContentCheckView | null =
    tc && (tc.result === 'review' || tc.result === 'unchecked')
      ? { result: tc.result, label: typeof tc.label === 'number' ? (CONTENT_LABELS[tc.label] ?? `其他(${tc.label})`) : null, checkedAt: tc.result === 'review' ? e.createdAt.toISOString() : null }
      : null;
  return {
    id: e.id,
    type: e.type,
    fromState: e.fromState,
    toState: e.toState,
    fromTier: e.fromTier,
    toTier: e.toTier,
    actorName: people && e.actorId ? (names.get(e.actorId) ?? null) : null,
    actorRole: e.actorRole,
    actorOrg: e.actorOrgId ? (orgs.get(e.actorOrgId)?.name ?? null) : null,
    reason: e.reason,
    consentMethod: consent,
    textCheck,
    at: e.createdAt.toISOString(),
  };
}

export interface DetailParts {
  now: Date;
  orgs: Map<number, Organisation>;
  sees: Sees;
  photos: { wish: PhotoView[]; proof: PhotoView[]; voice: VoiceNoteView[] };
  events: WishEvent[];
  names: Map<number, string>;
  actions: WishAction[];
  /** Of `actions`, those this reader must give a reason for. */
  reasonRequired: WishAction[];
  /** The wish this one was cancelled as a duplicate of. */
  duplicateOf: Pick<Wish, 'id' | 'createdAt'> | null;
  /** Its urges (催办), oldest first. */
  urges: Date[];
  /** The reader submitted it (the next step's urge part is theirs). */
  submitter: boolean;
  /** The reader is the active claimant (reader class `handler`): 联系心愿人 when the phone is theirs to read. */
  handler: boolean;
}

/** The claim window (open) and fulfilment deadline (claimed) of a wish, as of `now`. */
export function timersOf(w: Wish, now: Date): WishTimers {
  return {
    windowEndsAt: w.state === 'open' && w.windowEndsAt ? w.windowEndsAt.toISOString() : null,
    dueAt: w.state === 'claimed' && w.dueAt ? w.dueAt.toISOString() : null,
    supervisedAt: w.supervisedAt ? w.supervisedAt.toISOString() : null,
    overdue: w.state === 'claimed' && !!w.dueAt && w.dueAt.getTime() < now.getTime(),
  };
}

/** The wish as read, but for what depends on who reads it beyond the policy's fields (reportable: the service adds it). */
export function toDetail(pii: Pii, w: Wish, p: DetailParts): Omit<WishDetail, 'reportable'> {
  const s = p.sees;
  const person = (id: number | null) => (id ? { id, name: personName(p.names.get(id) ?? '', s.claimantName) } : null);
  const summary = toSummary(pii, w, p.orgs, s, p.photos.wish.length, p.actions, p.reasonRequired);
  return {
    ...summary,
    description: s.description ? descriptionOf(pii, w) : null,
    consentMethod: w.consentMethod,
    photos: s.description ? p.photos.wish : [],
    // Read by exactly those who read the wish's photos (a sensitive wish's only by its submitter, staff and claimant).
    voiceNote: s.description ? (p.photos.voice[0] ?? null) : null,
    claimant: person(w.claimantId),
    claimedAt: w.claimedAt ? w.claimedAt.toISOString() : null,
    proof: s.proof && w.completedAt && w.proofNote !== null ? { note: w.proofNote, photos: p.photos.proof, completedAt: w.completedAt.toISOString() } : null,
    rating: s.rating ? w.rating : null,
    ratingComment: s.rating ? w.ratingComment : null,
    ratingOnBehalf: s.rating && w.ratingConsent ? { consentMethod: w.ratingConsent, recordedBy: s.people && w.ratingBy ? (p.names.get(w.ratingBy) ?? null) : null } : null,
    resolvedAt: w.resolvedAt ? w.resolvedAt.toISOString() : null,
    closure: w.closureCode ? { code: w.closureCode, channel: w.closureChannel } : null,
    timeline: p.events.map((e) => toEventView(e, p.names, p.orgs, s.people, s.contentCheck)),
    assignee: person(w.assigneeId),
    ...timersOf(w, p.now),
    duplicateOf: p.duplicateOf ? { id: p.duplicateOf.id, no: wishNo(p.duplicateOf) } : null,
    nextStep: nextStepOf(w, p.now, p.urges, p.submitter),
    urges: { count: p.urges.length, lastAt: p.urges.length ? p.urges[p.urges.length - 1].toISOString() : null, times: p.urges.map((u) => u.toISOString()) },
    officePhone: p.orgs.get(w.communityId)?.officePhone ?? null,
    // The phone in full, to the active claimant only (staff read it too, but do not call from the claimant's button).
    callBeneficiary: p.handler && !summary.masked && !summary.contactErased && !!summary.beneficiary.phone,
    // What the wall shows may be shared: open and never of a sensitive category.
    shareable: w.state === 'open' && !w.sensitive,
  };
}
