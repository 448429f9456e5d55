import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsOptional, QueryBool, QueryInt } from '../../common/http/validation';
import {
  CLOSURE_CODES,
  CONSENT_METHODS,
  type ClosureCode,
  type ClosureCounts,
  type ConsentMethod,
  type RatesBreakdown,
  BREAKDOWN_LABELS,
  type BreakdownKey,
  type CategoryRole,
  type ExplainedCategory,
  type LedgerPeriodHeader,
  type LedgerRatesExplained,
  type RateKey,
  type ChainBreakKind,
  type ChainBreakView,
  type LedgerDayDigest,
  type LedgerVerifyQuery,
  type LedgerVerifyReport,
  COMMUNITY_CLASSES,
  EXPORT_FORMATS,
  type ExportFormat,
  type LedgerDashboard,
  type LedgerDashboardQuery,
  type LedgerExportLink,
  type LedgerExportLinkRequest,
  type MonthlyRates,
  LEDGER_SCOPES,
  RATINGS,
  TIERS,
  WISH_CATEGORY_CODES,
  WISH_STATES,
  type CommunityClass,
  type DurationStats,
  type LedgerExportQuery,
  type LedgerPersonRef,
  type LedgerRanking,
  type LedgerRankingEntry,
  type LedgerRatesQuery,
  type LedgerRatesReport,
  type LedgerScopeKind,
  type LedgerWishDetail,
  type LedgerWishItem,
  type LedgerWishQuery,
  type LedgerPage,
  LEDGER_SEARCH_MAX,
  type Rating,
  type RateView,
  type RatesSummary,
  type Tier,
  type TierShare,
  type WishCategoryCode,
  type WishState,
} from '@xinyuan/shared';
import { WishEventViewDto } from '../wishes/wishes.dto';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DAY_MSG = { message: ({ property }: { property: string }) => `${property} must be a date YYYY-MM-DD` };

export class LedgerExportQueryDto implements LedgerExportQuery {
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) communityId?: number;
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) streetId?: number;
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) districtId?: number;
  @ApiPropertyOptional({ enum: WISH_STATES }) @IsOptional() @IsIn(WISH_STATES) state?: WishState;
  @ApiPropertyOptional({ enum: TIERS }) @IsOptional() @QueryInt() @IsIn(TIERS) tierReached?: Tier;
  @ApiPropertyOptional({ enum: TIERS, description: 'Resolved wishes claimed at this tier' }) @IsOptional() @QueryInt() @IsIn(TIERS) tierResolved?: Tier;
  @ApiPropertyOptional({ enum: WISH_CATEGORY_CODES }) @IsOptional() @IsIn(WISH_CATEGORY_CODES) category?: WishCategoryCode;
  @ApiPropertyOptional({ description: 'Submitted on or after this Beijing day', example: '2026-11-01' }) @IsOptional() @IsString() @Matches(DAY, DAY_MSG) from?: string;
  @ApiPropertyOptional({ description: 'Submitted on or before this Beijing day', example: '2026-11-30' }) @IsOptional() @IsString() @Matches(DAY, DAY_MSG) to?: string;
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) claimantId?: number;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() overdue?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() supervised?: boolean;
  @ApiPropertyOptional({ maxLength: LEDGER_SEARCH_MAX, description: 'Search: a wish number (XY20261130000042), the beneficiary phone (7+ digits; matched on its keyed hash), or a part of the title' })
  @IsOptional()
  @IsString()
  @MaxLength(LEDGER_SEARCH_MAX)
  q?: string;
}

export class LedgerWishQueryDto extends LedgerExportQueryDto implements LedgerWishQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: 20, maximum: 100 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100) limit?: number;
}

export class LedgerExportLinkDto extends LedgerExportQueryDto implements LedgerExportLinkRequest {
  @ApiProperty({ enum: EXPORT_FORMATS }) @IsIn(EXPORT_FORMATS) format: ExportFormat;
}
export class LedgerExportLinkDtoView implements LedgerExportLink {
  @ApiProperty({ description: 'Path under the API origin; needs no Authorization header' }) url: string;
  @ApiProperty() fileName: string;
  @ApiProperty() expiresAt: string;
}
export class LedgerDashboardQueryDto implements LedgerDashboardQuery {
  @ApiProperty({ enum: LEDGER_SCOPES }) @IsIn(LEDGER_SCOPES) scope: LedgerScopeKind;
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) orgId?: number;
  @ApiPropertyOptional({ description: 'Beijing calendar year (default: this year)' }) @IsOptional() @QueryInt() @IsInt() @Min(2000) @Max(2100) year?: number;
}

export class LedgerRatesQueryDto implements LedgerRatesQuery {
  @ApiProperty({ enum: LEDGER_SCOPES }) @IsIn(LEDGER_SCOPES) scope: LedgerScopeKind;
  @ApiPropertyOptional({ description: 'The community, street, district or city (optional for the city)' }) @IsOptional() @QueryInt() @IsInt() @Min(1) orgId?: number;
  @ApiProperty({ description: 'Published on or after this Beijing day', example: '2026-11-01' }) @IsString() @Matches(DAY, DAY_MSG) from: string;
  @ApiProperty({ description: 'Published on or before this Beijing day', example: '2026-11-30' }) @IsString() @Matches(DAY, DAY_MSG) to: string;
}

// ---- responses (for the OpenAPI document) ----
class PersonRefDto implements LedgerPersonRef {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
}
export class LedgerWishItemDto implements LedgerWishItem {
  @ApiProperty() id: number;
  @ApiProperty() no: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: WISH_CATEGORY_CODES }) category: WishCategoryCode;
  @ApiProperty({ enum: WISH_STATES }) state: WishState;
  @ApiProperty() urgent: boolean;
  @ApiProperty() communityId: number;
  @ApiProperty() communityName: string;
  @ApiProperty({ enum: TIERS }) tierReached: Tier;
  @ApiProperty({ enum: TIERS, nullable: true }) claimTier: Tier | null;
  @ApiProperty({ type: PersonRefDto, nullable: true }) claimant: PersonRefDto | null;
  @ApiProperty({ enum: RATINGS, nullable: true }) rating: Rating | null;
  @ApiProperty() autoConfirmed: boolean;
  @ApiProperty() submittedAt: string;
  @ApiProperty({ type: String, nullable: true }) publishedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) firstClaimedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) claimedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) completedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) resolvedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) supervisedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) dueAt: string | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ type: Number, nullable: true }) daysTaken: number | null;
  @ApiProperty({ type: Number, nullable: true }) costFen: number | null;
  @ApiProperty({ type: Number, nullable: true }) duplicateOfId: number | null;
  @ApiProperty({ enum: CLOSURE_CODES, nullable: true }) closureCode: ClosureCode | null;
  @ApiProperty({ enum: CONSENT_METHODS, nullable: true, description: 'Rated on the resident\'s behalf, with this consent' }) ratingConsent: ConsentMethod | null;
  @ApiProperty({ description: '催办: times the submitter urged it' }) urgeCount: number;
  @ApiProperty({ type: String, nullable: true, description: '催办: the last time' }) lastUrgedAt: string | null;
}
export class LedgerWishDetailDto extends LedgerWishItemDto implements LedgerWishDetail {
  @ApiProperty({ type: [WishEventViewDto] }) timeline: WishEventViewDto[];
}
export class LedgerPageDto implements LedgerPage {
  @ApiProperty({ type: [LedgerWishItemDto] }) items: LedgerWishItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'lines matching the filters in the reader\'s scope; on the first page only (null after)' }) total: number | null;
}
class RateViewDto implements RateView {
  @ApiProperty({ type: Number, nullable: true }) rate: number | null;
  @ApiProperty() numerator: number;
  @ApiProperty() denominator: number;
}
class DurationStatsDto implements DurationStats {
  @ApiProperty() count: number;
  @ApiProperty({ type: Number, nullable: true }) medianHours: number | null;
  @ApiProperty({ type: Number, nullable: true }) p90Hours: number | null;
}
class TierShareDto implements TierShare {
  @ApiProperty({ enum: TIERS }) tier: Tier;
  @ApiProperty() resolved: number;
  @ApiProperty({ type: Number, nullable: true }) share: number | null;
}
class ConsentCountsDto implements Record<ConsentMethod, number> {
  @ApiProperty() verbal: number;
  @ApiProperty() written: number;
  @ApiProperty() guardian: number;
}
class RatesBreakdownDto implements RatesBreakdown {
  @ApiProperty() responded: number;
  @ApiProperty() respondedLate: number;
  @ApiProperty() excludedWithdrawn: number;
  @ApiProperty() excludedDuplicate: number;
  @ApiProperty() undecidedClaim: number;
  @ApiProperty() resolved: number;
  @ApiProperty() failedMissed: number;
  @ApiProperty() failedUnclaimed: number;
  @ApiProperty() failedCancelled: number;
  @ApiProperty() resolutionExcluded: number;
  @ApiProperty() undecidedOpen: number;
  @ApiProperty() undecidedHandling: number;
  @ApiProperty() satisfied: number;
  @ApiProperty() ratedByResident: number;
  @ApiProperty() ratedOnBehalf: number;
  @ApiProperty() satisfiedOnBehalf: number;
  @ApiProperty({ type: ConsentCountsDto }) onBehalfByConsent: ConsentCountsDto;
  @ApiProperty() silent: number;
}
class ClosureCountsDto implements ClosureCounts {
  @ApiProperty() duplicate: number;
  @ApiProperty() withdrawn: number;
  @ApiProperty() redirected: number;
  @ApiProperty() not_a_wish: number;
  @ApiProperty() cannot_be_done: number;
  @ApiProperty() spam: number;
  @ApiProperty({ description: 'closed before the codes existed' }) uncoded: number;
}
class RatesSummaryDto implements RatesSummary {
  @ApiProperty() published: number;
  @ApiProperty({ type: RateViewDto, description: '响应率' }) response: RateViewDto;
  @ApiProperty({ type: RateViewDto, description: '解决率' }) resolution: RateViewDto;
  @ApiProperty({ type: RateViewDto, description: '满意率' }) satisfaction: RateViewDto;
  @ApiProperty({ type: RatesBreakdownDto, description: 'every category counted beside the rates (RATE_RULES, BREAKDOWN_LABELS)' }) breakdown: RatesBreakdownDto;
  @ApiProperty({ type: ClosureCountsDto, description: 'published wishes cancelled, by closure code' }) closures: ClosureCountsDto;
  @ApiProperty() silentConfirmations: number;
  @ApiProperty() awaitingClaim: number;
  @ApiProperty() withinFulfilmentWindow: number;
  @ApiProperty({ type: [TierShareDto] }) tierShares: TierShareDto[];
  @ApiProperty({ type: DurationStatsDto }) timeToClaim: DurationStatsDto;
  @ApiProperty({ type: DurationStatsDto }) timeToResolve: DurationStatsDto;
  @ApiProperty() overdue: number;
  @ApiProperty() supervised: number;
}
class ClassRatesDto extends RatesSummaryDto {
  @ApiProperty({ enum: COMMUNITY_CLASSES }) communityClass: CommunityClass;
}
export class LedgerRatesReportDto extends RatesSummaryDto implements LedgerRatesReport {
  @ApiProperty({ enum: LEDGER_SCOPES }) scope: LedgerScopeKind;
  @ApiProperty() orgId: number;
  @ApiProperty() orgName: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() asOf: string;
  @ApiProperty({ type: [ClassRatesDto] }) byClass: ClassRatesDto[];
  @ApiProperty({ type: ClosureCountsDto, description: 'never-published wishes closed in the period (by the day closed), by code' }) closuresBeforePublication: ClosureCountsDto;
}
class ExplainedCategoryDto implements ExplainedCategory {
  @ApiProperty({ enum: Object.keys(BREAKDOWN_LABELS) }) key: BreakdownKey;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['numerator', 'denominator', 'of_which', 'excluded', 'undecided'] }) role: CategoryRole;
  @ApiProperty() count: number;
}
class ExplainedRateDto {
  @ApiProperty({ enum: ['response', 'resolution', 'satisfaction'] }) key: RateKey;
  @ApiProperty() label: string;
  @ApiProperty({ description: 'the rule in plain Chinese' }) rule: string;
  @ApiProperty({ type: [ExplainedCategoryDto] }) categories: ExplainedCategoryDto[];
  @ApiProperty({ type: RateViewDto }) value: RateViewDto;
}
class ClosureLineDto {
  @ApiProperty({ enum: [...CLOSURE_CODES, 'uncoded'] }) code: ClosureCode | 'uncoded';
  @ApiProperty() label: string;
  @ApiProperty() published: number;
  @ApiProperty() beforePublication: number;
}
/** The head of every report on a period (LedgerPeriodHeader): whose figures, which days, computed when. */
export class LedgerPeriodHeaderDto implements LedgerPeriodHeader {
  @ApiProperty({ enum: LEDGER_SCOPES }) scope: LedgerScopeKind;
  @ApiProperty() orgId: number;
  @ApiProperty() orgName: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() asOf: string;
}
export class LedgerRatesExplainedDto extends LedgerPeriodHeaderDto implements LedgerRatesExplained {
  @ApiProperty() published: number;
  @ApiProperty({ type: [ExplainedRateDto] }) rates: ExplainedRateDto[];
  @ApiProperty({ type: [ClosureLineDto] }) closures: ClosureLineDto[];
  @ApiProperty({ type: [TierShareDto] }) tierShares: TierShareDto[];
}
class RankingEntryDto implements LedgerRankingEntry {
  @ApiProperty() rank: number;
  @ApiProperty() userId: number;
  @ApiProperty() name: string;
  @ApiProperty() resolved: number;
}
export class LedgerRankingDto implements LedgerRanking {
  @ApiProperty({ enum: LEDGER_SCOPES }) scope: LedgerScopeKind;
  @ApiProperty() orgId: number;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: [RankingEntryDto] }) items: RankingEntryDto[];
}
class MonthlyRatesDto implements MonthlyRates {
  @ApiProperty() month: string;
  @ApiProperty() published: number;
  @ApiProperty({ type: RateViewDto }) response: RateViewDto;
  @ApiProperty({ type: RateViewDto }) resolution: RateViewDto;
  @ApiProperty({ type: RateViewDto }) satisfaction: RateViewDto;
}
class StateCountDto {
  @ApiProperty({ enum: WISH_STATES }) state: WishState;
  @ApiProperty() count: number;
}
class TierCountDto {
  @ApiProperty({ enum: TIERS }) tier: Tier;
  @ApiProperty() reached: number;
  @ApiProperty() resolved: number;
}
class FundSumDto {
  @ApiProperty() budgetFen: number;
  @ApiProperty() spentFen: number;
  @ApiProperty() pendingFen: number;
  @ApiProperty() remainingFen: number;
  @ApiProperty() communities: number;
}
export class LedgerDayDigestDto implements LedgerDayDigest {
  @ApiProperty({ enum: LEDGER_SCOPES }) scope: LedgerScopeKind;
  @ApiProperty() orgId: number;
  @ApiProperty({ example: '2026-11-30' }) day: string;
  @ApiProperty() events: number;
  @ApiProperty({ type: Number, nullable: true }) lastEventId: number | null;
  @ApiProperty({ description: 'sha256, hex' }) digest: string;
  @ApiProperty() chainsOk: boolean;
}
export class LedgerDashboardDto implements LedgerDashboard {
  @ApiProperty({ enum: LEDGER_SCOPES }) scope: LedgerScopeKind;
  @ApiProperty() orgId: number;
  @ApiProperty() orgName: string;
  @ApiProperty() year: number;
  @ApiProperty() asOf: string;
  @ApiProperty({ type: RatesSummaryDto }) rates: RatesSummaryDto;
  @ApiProperty({ type: [ClassRatesDto] }) byClass: ClassRatesDto[];
  @ApiProperty({ type: [MonthlyRatesDto] }) monthly: MonthlyRatesDto[];
  @ApiProperty({ type: [StateCountDto] }) byState: StateCountDto[];
  @ApiProperty({ type: [TierCountDto] }) byTier: TierCountDto[];
  @ApiProperty({ type: FundSumDto, nullable: true, description: 'null when the reader may not read the funds' }) funds: FundSumDto | null;
  @ApiProperty({ type: LedgerDayDigestDto, description: "yesterday's digest (台账校验码) of the scope's events" }) dayDigest: LedgerDayDigestDto;
}

// ---- the hash chain (GET /ledger/verify) ----
export class LedgerVerifyQueryDto implements LedgerVerifyQuery {
  @ApiProperty({ enum: LEDGER_SCOPES }) @IsIn(LEDGER_SCOPES) scope: LedgerScopeKind;
  @ApiPropertyOptional({ description: 'The community, street, district or city (optional for the city)' }) @IsOptional() @QueryInt() @IsInt() @Min(1) orgId?: number;
  @ApiPropertyOptional({ description: 'A Beijing day: verify the chains of the wishes with events that day, and compute its digest (台账校验码)', example: '2026-11-30' })
  @IsOptional()
  @IsString()
  @Matches(DAY, DAY_MSG)
  day?: string;
  @ApiPropertyOptional({ description: 'A printed digest to compare with the day’s (64 hex digits; needs day)' }) @IsOptional() @IsString() @Matches(/^[0-9a-fA-F]{64}$/, { message: 'digest must be 64 hex digits' }) digest?: string;
  @ApiPropertyOptional({ description: 'The printed 截至事件 #N: the day’s digest over events up to this id' }) @IsOptional() @QueryInt() @IsInt() @Min(1) upTo?: number;
}
class ChainBreakDto implements ChainBreakView {
  @ApiProperty() wishId: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null: at the head kept on the wish row' }) eventId: number | null;
  @ApiProperty({ type: Number, nullable: true }) seq: number | null;
  @ApiProperty({ enum: ['edited', 'missing', 'inserted'] }) kind: ChainBreakKind;
  @ApiProperty() expected: string;
  @ApiProperty() found: string;
  @ApiProperty() detail: string;
}
export class LedgerVerifyReportDto implements LedgerVerifyReport {
  @ApiProperty({ enum: LEDGER_SCOPES }) scope: LedgerScopeKind;
  @ApiProperty() orgId: number;
  @ApiProperty() ok: boolean;
  @ApiProperty() wishes: number;
  @ApiProperty() events: number;
  @ApiProperty({ description: 'events whose free text was erased under PIPL (valid)' }) erased: number;
  @ApiProperty() brokenWishes: number;
  @ApiProperty({ type: ChainBreakDto, nullable: true }) firstBreak: ChainBreakDto | null;
  @ApiProperty({ type: LedgerDayDigestDto, nullable: true }) day: LedgerDayDigestDto | null;
  @ApiProperty({ type: Boolean, nullable: true }) digestMatches: boolean | null;
  @ApiProperty() tookMs: number;
}
