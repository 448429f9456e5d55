import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ClosureCode, ConsentMethod, ContentCheckResult, Rating, Role, Tier, WishAction, WishCategoryCode, WishState } from '@xinyuan/shared';

/** mysql2 returns BIGINT as a string; durations in ms fit a double exactly. */
const BIGINT_AS_NUMBER = { to: (v: number | null | undefined) => v, from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)) };

@Entity('wish')
export class Wish {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'district_id', type: 'int' }) districtId: number;
  @Column({ name: 'street_id', type: 'int' }) streetId: number;
  @Column({ name: 'community_id', type: 'int' }) communityId: number;
  @Column({ name: 'compound_id', type: 'int', nullable: true }) compoundId: number | null;
  @Column({ type: 'varchar' }) category: WishCategoryCode;
  @Column({ type: 'boolean' }) sensitive: boolean;
  @Column({ type: 'varchar' }) title: string;
  /** Sealed for sensitive categories (common/crypto/pii.ts); plain otherwise. */
  @Column({ type: 'text' }) description: string;
  /** Sealed. */
  @Column({ name: 'beneficiary_name', type: 'varchar' }) beneficiaryName: string;
  /** Sealed ('' sealed for a resident without a phone). */
  @Column({ name: 'beneficiary_phone', type: 'varchar' }) beneficiaryPhone: string;
  /** Sealed. */
  @Column({ type: 'varchar' }) address: string;
  /** The masked forms, kept beside the sealed values so lists never open them (null: written before sealing). */
  @Column({ name: 'beneficiary_name_masked', type: 'varchar', nullable: true }) beneficiaryNameMasked: string | null;
  @Column({ name: 'beneficiary_phone_masked', type: 'varchar', nullable: true }) beneficiaryPhoneMasked: string | null;
  /** The address's building ("3号楼"): what a masked address shows after the compound. */
  @Column({ name: 'address_building', type: 'varchar', nullable: true }) addressBuilding: string | null;
  /** Keyed hash of the phone's digits, for equality lookups. */
  @Column({ name: 'beneficiary_phone_hash', type: 'varchar', nullable: true }) beneficiaryPhoneHash: string | null;
  @Column({ name: 'submitter_id', type: 'int' }) submitterId: number;
  @Column({ name: 'on_behalf', type: 'boolean' }) onBehalf: boolean;
  @Column({ name: 'consent_method', type: 'varchar', nullable: true }) consentMethod: ConsentMethod | null;
  @Column({ type: 'varchar' }) state: WishState;
  @Column({ type: 'int' }) tier: Tier;
  @Column({ type: 'boolean' }) urgent: boolean;
  @Column({ name: 'claimant_id', type: 'int', nullable: true }) claimantId: number | null;
  @Column({ name: 'claimant_role', type: 'varchar', nullable: true }) claimantRole: Role | null;
  /**
   * The organisation the claim was made for (community, compound, unit or street). Read only together
   * with claimant_role: a release clears both, the sweeper's expire_claim clears the role and leaves this
   * (so its hot UPDATE stays as it was); the next claim overwrites it.
   */
  @Column({ name: 'claimant_org_id', type: 'int', nullable: true }) claimantOrgId: number | null;
  @Column({ name: 'claimed_at', type: 'datetime', nullable: true }) claimedAt: Date | null;
  @Column({ name: 'proof_note', type: 'text', nullable: true }) proofNote: string | null;
  @Column({ name: 'completed_at', type: 'datetime', nullable: true }) completedAt: Date | null;
  @Column({ type: 'varchar', nullable: true }) rating: Rating | null;
  @Column({ name: 'rating_comment', type: 'varchar', nullable: true }) ratingComment: string | null;
  /** A rating recorded on the resident's behalf: who recorded it, and how the resident consented (null: the resident's own). */
  @Column({ name: 'rating_by', type: 'int', nullable: true }) ratingBy: number | null;
  @Column({ name: 'rating_consent', type: 'varchar', nullable: true }) ratingConsent: ConsentMethod | null;
  @Column({ name: 'resolved_at', type: 'datetime', nullable: true }) resolvedAt: Date | null;
  @Column({ name: 'published_at', type: 'datetime', nullable: true }) publishedAt: Date | null;
  /** The one timer: when the sweeper must look at this wish next (null: none). */
  @Column({ name: 'next_due_at', type: 'datetime', nullable: true }) nextDueAt: Date | null;
  /** When the claim window at the current tier ends (open wishes). */
  @Column({ name: 'window_ends_at', type: 'datetime', nullable: true }) windowEndsAt: Date | null;
  /** When the current claim's fulfilment window ends (claimed wishes). */
  @Column({ name: 'due_at', type: 'datetime', nullable: true }) dueAt: Date | null;
  /**
   * At the last claim, the claim window time that was left: working minutes to window_ends_at
   * (clock minutes if urgent). A release or expire_claim reopens the wish with max(this, 60) minutes
   * (DOMAIN.md "Windows"); null (claimed before it was kept) reopens with the tier's full window.
   */
  @Column({ name: 'claim_left_minutes', type: 'int', nullable: true }) claimLeftMinutes: number | null;
  @Column({ name: 'reminded_at', type: 'datetime', nullable: true }) remindedAt: Date | null;
  /** The first end of the tier-4 claim window (the first supervise event); never overwritten. */
  @Column({ name: 'supervised_at', type: 'datetime', nullable: true }) supervisedAt: Date | null;
  /** Tier-2 claims: the person the organisation assigned the work to. */
  @Column({ name: 'assignee_id', type: 'int', nullable: true }) assigneeId: number | null;
  /** The first `claim` event's time (kept on the row for the rates). */
  @Column({ name: 'first_claimed_at', type: 'datetime', nullable: true }) firstClaimedAt: Date | null;
  /** Cancelled by its submitter. */
  @Column({ name: 'cancelled_by_submitter', type: 'boolean', default: false }) cancelledBySubmitter: boolean;
  /** Why it was closed (reject, cancel): DOMAIN.md "Closure". Null while it stands, and for closures from before the codes. */
  @Column({ name: 'closure_code', type: 'varchar', nullable: true }) closureCode: ClosureCode | null;
  /** With closure_code 'redirected': the channel it went to (12345...). */
  @Column({ name: 'closure_channel', type: 'varchar', nullable: true }) closureChannel: string | null;
  /** When it was rejected or cancelled (never-published closures are counted by this day). */
  @Column({ name: 'closed_at', type: 'datetime', nullable: true }) closedAt: Date | null;
  /** The first end of a fulfilment window without completion (a fact of the rates, written once). */
  @Column({ name: 'fulfil_missed_at', type: 'datetime', nullable: true }) fulfilMissedAt: Date | null;
  /** The first completion (proof uploaded), written once; completed_at is the current claim's. */
  @Column({ name: 'first_completed_at', type: 'datetime', nullable: true }) firstCompletedAt: Date | null;
  /** Cancelled by staff as a duplicate of this wish. */
  @Column({ name: 'duplicate_of', type: 'int', nullable: true }) duplicateOf: number | null;
  /** Milliseconds from publication to the first claim, and to resolution (set once, when they happen; the rates' medians). */
  @Column({ name: 'claim_ms', type: 'bigint', nullable: true, transformer: BIGINT_AS_NUMBER }) claimMs: number | null;
  @Column({ name: 'resolve_ms', type: 'bigint', nullable: true, transformer: BIGINT_AS_NUMBER }) resolveMs: number | null;
  /** msgSecCheck v2 of title and description (null: not checked yet). */
  @Column({ name: 'content_check', type: 'varchar', nullable: true }) contentCheck: ContentCheckResult | null;
  @Column({ name: 'content_label', type: 'int', nullable: true }) contentLabel: number | null;
  @Column({ name: 'content_checked_at', type: 'datetime', nullable: true }) contentCheckedAt: Date | null;
  /** Bumped by every guarded write; a write that read an older version changes nothing. */
  /** The beneficiary's contact details (and a sensitive description) were erased: account deletion or retention. */
  @Column({ name: 'contact_erased_at', type: 'datetime', nullable: true }) contactErasedAt: Date | null;
  @Column({ type: 'int' }) version: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
  /** The head of the wish's event chain (event-chain.ts): the last event's seq (0: none) and hash, written with every move. */
  @Column({ name: 'chain_seq', type: 'int', default: 0 }) chainSeq: number;
  @Column({ name: 'chain_head', type: 'varchar', nullable: true }) chainHead: string | null;
}

/** The ledger: one row per change of a wish's state. Append-only. */
@Entity('wish_event')
export class WishEvent {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'wish_id', type: 'int' }) wishId: number;
  @Column({ type: 'varchar' }) type: WishAction;
  @Column({ name: 'from_state', type: 'varchar', nullable: true }) fromState: WishState | null;
  @Column({ name: 'to_state', type: 'varchar' }) toState: WishState;
  @Column({ name: 'from_tier', type: 'int', nullable: true }) fromTier: Tier | null;
  @Column({ name: 'to_tier', type: 'int', nullable: true }) toTier: Tier | null;
  @Column({ name: 'actor_id', type: 'int', nullable: true }) actorId: number | null;
  @Column({ name: 'actor_role', type: 'varchar', nullable: true }) actorRole: Role | 'system' | null;
  /** The organisation the actor acted for (null: the system, and events written before it was kept). */
  @Column({ name: 'actor_org_id', type: 'int', nullable: true }) actorOrgId: number | null;
  @Column({ type: 'varchar', nullable: true }) reason: string | null;
  @Column({ type: 'simple-json', nullable: true }) payload: Record<string, unknown> | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  /** The event's place in its wish's chain (1, 2, ...), the digest of its free text, and its hash (event-chain.ts). */
  @Column({ type: 'int', nullable: true }) seq: number | null;
  @Column({ name: 'text_digest', type: 'varchar', nullable: true }) textDigest: string | null;
  @Column({ name: 'chain_hash', type: 'varchar', nullable: true }) chainHash: string | null;
}
