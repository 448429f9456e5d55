import { VoiceNoteDto } from '../photos/photos.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsOptional, QueryInt } from '../../common/http/validation';
import { TextField } from '../../common/http/text';
import {
  CLOSURE_CODES,
  PHONE_PATTERN,
  type ClosureCode,
  type RejectWishRequest,
  CONSENT_METHODS,
  CONTENT_CHECK_RESULTS,
  type ContentCheckResult,
  type ContentCheckView,
  FUND_SPEND_MAX_FEN,
  LIMITS,
  RATINGS,
  ROLES,
  TIERS,
  WISH_ACTIONS,
  WISH_CATEGORY_CODES,
  WISH_STATES,
  type Beneficiary,
  type CancelWishRequest,
  type CompleteWishRequest,
  type ConfirmWishRequest,
  type ConsentMethod,
  type MyWishesQuery,
  type PhotoView,
  type Rating,
  type ReasonRequest,
  type Role,
  type SubmitWishRequest,
  type Tier,
  type WallQuery,
  type WishAction,
  type WishCategoryCode,
  type WishDetail,
  type WishEventView,
  type WishState,
  type WishSummary,
  type Page,
  type MarkUrgentRequest,
  type AssignWishRequest,
  type AssigneeView,
  PHOTO_CHECK_STATES,
  type PhotoCheckState,
  NEXT_STEPS,
  type NextStep,
  type NextStepView,
  type UrgesView,
  DESKS,
  type Desk,
  type DeskCounts,
  type DeskListQuery,
  type DeskWishSummary,
} from '@xinyuan/shared';

const PHONE = PHONE_PATTERN;

export class SubmitWishDto implements SubmitWishRequest {
  @ApiProperty() @IsInt() @Min(1) communityId: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) compoundId?: number;
  @ApiProperty({ enum: WISH_CATEGORY_CODES }) @IsIn(WISH_CATEGORY_CODES) category: WishCategoryCode;
  @ApiProperty({ maxLength: LIMITS.titleMax }) @TextField(2, LIMITS.titleMax) title: string;
  @ApiProperty({ maxLength: LIMITS.descriptionMax }) @TextField(1, LIMITS.descriptionMax, { multiline: true }) description: string;
  @ApiProperty() @TextField(1, LIMITS.nameMax) beneficiaryName: string;
  @ApiPropertyOptional({ example: '13812341234', description: 'Required unless community staff file for a resident (who may have no phone)' })
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'beneficiaryPhone must be a mobile or landline number' })
  beneficiaryPhone?: string;
  @ApiProperty({ example: '3号楼2单元501' }) @TextField(1, LIMITS.addressMax) address: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(LIMITS.photosPerWish) @IsUUID('4', { each: true }) photoIds?: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'One voice note the submitter uploaded (POST /voice-notes)' }) @IsOptional() @IsUUID('4') voiceNoteId?: string;
  @ApiPropertyOptional({ description: 'The submitter is the beneficiary (either this or consentMethod)' }) @IsOptional() @IsBoolean() forSelf?: boolean;
  @ApiPropertyOptional({ enum: CONSENT_METHODS, description: 'The beneficiary is someone else: how that person consented' })
  @IsOptional()
  @IsIn(CONSENT_METHODS)
  consentMethod?: ConsentMethod;
  @ApiPropertyOptional({ description: 'Separate consent to processing sensitive personal information (PIPL Art. 29): required for a sensitive category (health, hardship)' })
  @IsOptional()
  @IsBoolean()
  sensitiveConsent?: boolean;
  @ApiPropertyOptional({ description: 'The beneficiary is a child under fourteen (PIPL Art. 28, 31): the wish is sensitive whatever its category, and sensitiveConsent is the guardian’s' })
  @IsOptional()
  @IsBoolean()
  beneficiaryMinor?: boolean;
}

export class ReasonDto implements ReasonRequest {
  @ApiProperty({ maxLength: LIMITS.reasonMax }) @TextField(1, LIMITS.reasonMax, { multiline: true }) reason: string;
}
/** The closure fields of a cancel and a reject (the reason differs: optional for a submitter's cancel, required at review). */
class ClosureFieldsDto {
  @ApiPropertyOptional({ enum: CLOSURE_CODES, description: "Closure code (DOMAIN.md \"Closure\"): required of staff; a submitter's own cancellation is 'withdrawn'" })
  @IsOptional()
  @IsIn(CLOSURE_CODES)
  code?: ClosureCode;
  @ApiPropertyOptional({ description: "With code 'duplicate' (staff): the wish (same community) this one duplicates" }) @IsOptional() @IsInt() @Min(1) duplicateOf?: number;
  @ApiPropertyOptional({ maxLength: LIMITS.channelMax, description: "With code 'redirected': the channel it went to, e.g. 12345" })
  @IsOptional()
  @TextField(1, LIMITS.channelMax)
  channel?: string;
}
export class CancelWishDto extends ClosureFieldsDto implements CancelWishRequest {
  @ApiPropertyOptional({ maxLength: LIMITS.reasonMax }) @IsOptional() @TextField(1, LIMITS.reasonMax, { multiline: true }) reason?: string;
}
export class RejectWishDto extends ClosureFieldsDto implements RejectWishRequest {
  @ApiProperty({ maxLength: LIMITS.reasonMax }) @TextField(1, LIMITS.reasonMax, { multiline: true }) reason: string;
}
export class CompleteWishDto implements CompleteWishRequest {
  @ApiProperty({ maxLength: LIMITS.proofNoteMax }) @TextField(1, LIMITS.proofNoteMax, { multiline: true }) note: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(LIMITS.photosPerWish) @IsUUID('4', { each: true }) photoIds?: string[];
  @ApiPropertyOptional({ description: "What it cost the community's service fund, in fen", minimum: 0, maximum: FUND_SPEND_MAX_FEN })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(FUND_SPEND_MAX_FEN)
  costFen?: number;
}
export class ConfirmWishDto implements ConfirmWishRequest {
  @ApiProperty({ enum: RATINGS }) @IsIn(RATINGS) rating: Rating;
  @ApiPropertyOptional({ maxLength: LIMITS.commentMax }) @IsOptional() @TextField(0, LIMITS.commentMax, { multiline: true }) comment?: string;
  @ApiPropertyOptional({ enum: CONSENT_METHODS, description: 'Required for a wish filed for someone else: how that person gave this confirmation' })
  @IsOptional()
  @IsIn(CONSENT_METHODS)
  consentMethod?: ConsentMethod;
}

export class WallQueryDto implements WallQuery {
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) communityId?: number;
  @ApiPropertyOptional({ enum: WISH_CATEGORY_CODES }) @IsOptional() @IsIn(WISH_CATEGORY_CODES) category?: WishCategoryCode;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: 20, maximum: 50 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(50) limit?: number;
}
export class MyWishesQueryDto implements MyWishesQuery {
  @ApiPropertyOptional({ enum: WISH_STATES }) @IsOptional() @IsIn(WISH_STATES) state?: WishState;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: 20, maximum: 50 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(50) limit?: number;
}

export class DeskListQueryDto implements DeskListQuery {
  @ApiProperty({ enum: DESKS }) @IsIn(DESKS) desk: Desk;
  @ApiPropertyOptional({ enum: WISH_STATES, description: 'handled only' }) @IsOptional() @IsIn(WISH_STATES) state?: WishState;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: 20, maximum: 50 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(50) limit?: number;
}

// ---- responses (for the OpenAPI document) ----
class PersonRefDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
}
class BeneficiaryDto implements Beneficiary {
  @ApiProperty() name: string;
  @ApiProperty() phone: string;
  @ApiProperty() address: string;
}
class PhotoViewDto implements PhotoView {
  @ApiProperty() id: string;
  @ApiProperty() mime: string;
  @ApiProperty() size: number;
  @ApiProperty() url: string;
  @ApiPropertyOptional({ enum: PHOTO_CHECK_STATES, description: "WeChat's media check: for the uploader and the community's staff only (pending photos are shown to no one else)" })
  checkState?: PhotoCheckState;
}
class ContentCheckViewDto implements ContentCheckView {
  @ApiProperty({ enum: CONTENT_CHECK_RESULTS }) result: ContentCheckResult;
  @ApiProperty({ type: String, nullable: true }) label: string | null;
  @ApiProperty({ type: String, nullable: true }) checkedAt: string | null;
}
class WishRefDto {
  @ApiProperty() id: number;
  @ApiProperty() no: string;
}
export class WishSummaryDto implements WishSummary {
  @ApiProperty() id: number;
  @ApiProperty() no: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: WISH_CATEGORY_CODES }) category: WishCategoryCode;
  @ApiProperty({ enum: WISH_STATES }) state: WishState;
  @ApiProperty({ enum: TIERS }) tier: Tier;
  @ApiProperty() urgent: boolean;
  @ApiProperty() communityId: number;
  @ApiProperty() communityName: string;
  @ApiProperty({ type: String, nullable: true }) compoundName: string | null;
  @ApiProperty({ type: BeneficiaryDto }) beneficiary: BeneficiaryDto;
  @ApiProperty() masked: boolean;
  @ApiProperty({ description: 'The contact details were erased (account deleted, or retention ended): beneficiary holds placeholders' }) contactErased: boolean;
  @ApiProperty() onBehalf: boolean;
  @ApiProperty() photoCount: number;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) publishedAt: string | null;
  @ApiProperty({ type: ContentCheckViewDto, nullable: true, description: 'Community staff only' }) contentCheck: ContentCheckViewDto | null;
  @ApiProperty({ enum: WISH_ACTIONS, isArray: true, description: 'moves this reader may make now' }) actions: WishAction[];
  @ApiProperty({ enum: WISH_ACTIONS, isArray: true, description: 'of actions, those this reader must give a reason for' }) reasonRequired: WishAction[];
}
export class WishEventViewDto implements WishEventView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: WISH_ACTIONS }) type: WishAction;
  @ApiProperty({ enum: WISH_STATES, nullable: true }) fromState: WishState | null;
  @ApiProperty({ enum: WISH_STATES }) toState: WishState;
  @ApiProperty({ enum: TIERS, nullable: true }) fromTier: Tier | null;
  @ApiProperty({ enum: TIERS, nullable: true }) toTier: Tier | null;
  @ApiProperty({ type: String, nullable: true }) actorName: string | null;
  @ApiProperty({ enum: [...ROLES, 'system'], nullable: true }) actorRole: Role | 'system' | null;
  @ApiProperty({ type: String, nullable: true, description: 'The organisation the actor acted for' }) actorOrg: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ enum: CONSENT_METHODS, nullable: true }) consentMethod: ConsentMethod | null;
  @ApiPropertyOptional({ type: ContentCheckViewDto, nullable: true, description: "WeChat's check of the move's free text when it was not a clean pass (review, unchecked); community staff only" })
  textCheck?: ContentCheckViewDto | null;
  @ApiProperty() at: string;
}
class ClaimantDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
}
class ProofDto {
  @ApiProperty() note: string;
  @ApiProperty({ type: [PhotoViewDto] }) photos: PhotoViewDto[];
  @ApiProperty() completedAt: string;
}
class RatingOnBehalfDto {
  @ApiProperty({ enum: CONSENT_METHODS }) consentMethod: ConsentMethod;
  @ApiProperty({ type: String, nullable: true }) recordedBy: string | null;
}
class ClosureViewDto {
  @ApiProperty({ enum: CLOSURE_CODES }) code: ClosureCode;
  @ApiProperty({ type: String, nullable: true }) channel: string | null;
}
class UrgeStateDto {
  @ApiProperty({ description: 'the submitter may urge now' }) allowed: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'from when an urge is possible (the step’s expected time)' }) from: string | null;
  @ApiProperty() urgedToday: boolean;
}
class NextStepViewDto implements NextStepView {
  @ApiProperty({ enum: NEXT_STEPS }) step: NextStep;
  @ApiProperty({ enum: TIERS }) tier: Tier;
  @ApiProperty({ type: String, nullable: true, description: 'expected by (null: no set time)' }) by: string | null;
  @ApiProperty({ type: UrgeStateDto, nullable: true, description: 'the submitter’s 催办; null for others and steps without a deadline' }) urge: UrgeStateDto | null;
}
class UrgesViewDto implements UrgesView {
  @ApiProperty() count: number;
  @ApiProperty({ type: String, nullable: true }) lastAt: string | null;
  @ApiProperty({ type: [String] }) times: string[];
}
export class WishDetailDto extends WishSummaryDto implements WishDetail {
  @ApiProperty({ description: 'the reader may report (举报) it: not its submitter' }) reportable: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Null when this reader may not read it (sensitive categories)' }) description: string | null;
  @ApiProperty({ enum: CONSENT_METHODS, nullable: true }) consentMethod: ConsentMethod | null;
  @ApiProperty({ type: [PhotoViewDto] }) photos: PhotoViewDto[];
  @ApiPropertyOptional({ type: VoiceNoteDto, nullable: true, description: 'The voice note, for whoever reads the photos' }) voiceNote?: VoiceNoteDto | null;
  @ApiProperty({ type: ClaimantDto, nullable: true }) claimant: ClaimantDto | null;
  @ApiProperty({ type: String, nullable: true }) claimedAt: string | null;
  @ApiProperty({ type: ProofDto, nullable: true }) proof: ProofDto | null;
  @ApiProperty({ enum: RATINGS, nullable: true }) rating: Rating | null;
  @ApiProperty({ type: String, nullable: true }) ratingComment: string | null;
  @ApiProperty({ type: RatingOnBehalfDto, nullable: true }) ratingOnBehalf: RatingOnBehalfDto | null;
  @ApiProperty({ type: String, nullable: true }) resolvedAt: string | null;
  @ApiProperty({ type: [WishEventViewDto] }) timeline: WishEventViewDto[];
  @ApiProperty({ type: PersonRefDto, nullable: true }) assignee: PersonRefDto | null;
  @ApiProperty({ type: String, nullable: true }) windowEndsAt: string | null;
  @ApiProperty({ type: String, nullable: true }) dueAt: string | null;
  @ApiProperty({ type: String, nullable: true }) supervisedAt: string | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ type: WishRefDto, nullable: true }) duplicateOf: WishRefDto | null;
  @ApiProperty({ type: ClosureViewDto, nullable: true, description: 'why it was rejected or cancelled' }) closure: ClosureViewDto | null;
  @ApiProperty({ type: NextStepViewDto, nullable: true, description: 'what comes next and by when; null once closed' }) nextStep: NextStepViewDto | null;
  @ApiProperty({ type: UrgesViewDto, description: '催办 so far' }) urges: UrgesViewDto;
  @ApiProperty({ type: String, nullable: true, description: "the community's office phone (联系社区)" }) officePhone: string | null;
  @ApiProperty({ description: 'the reader is the active claimant and reads the beneficiary phone in full (联系心愿人)' }) callBeneficiary: boolean;
  @ApiProperty({ description: 'open and not sensitive: may be shared as a masked card' }) shareable: boolean;
}
export class MarkUrgentDto implements MarkUrgentRequest {
  @ApiProperty({ maxLength: LIMITS.reasonMax }) @TextField(1, LIMITS.reasonMax, { multiline: true }) reason: string;
}
export class AssignWishDto implements AssignWishRequest {
  @ApiProperty() @IsInt() @Min(1) userId: number;
}
export class AssigneeViewDto implements AssigneeView {
  @ApiProperty() userId: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
}

export class WishPageDto implements Page<WishSummary> {
  @ApiProperty({ type: [WishSummaryDto] }) items: WishSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class DeskWishSummaryDto extends WishSummaryDto implements DeskWishSummary {
  @ApiProperty({ type: String, nullable: true, description: 'open: when the claim window at this tier ends' }) windowEndsAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'claimed: when the fulfilment window ends' }) dueAt: string | null;
  @ApiProperty({ type: String, nullable: true }) supervisedAt: string | null;
  @ApiProperty() overdue: boolean;
}
export class DeskPageDto implements Page<DeskWishSummary> {
  @ApiProperty({ type: [DeskWishSummaryDto] }) items: DeskWishSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
export class DeskCountsDto implements DeskCounts {
  @ApiProperty({ enum: DESKS }) desk: Desk;
  @ApiProperty() waiting: number;
  @ApiProperty() active: number;
  @ApiProperty({ type: Number, nullable: true, description: 'the street: open wishes on the red list' }) supervised: number | null;
}
