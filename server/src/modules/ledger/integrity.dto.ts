import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOptional, QueryInt } from '../../common/http/validation';
import {
  CONSENT_METHODS,
  INTEGRITY_FLAGS,
  type ConsentMethod,
  type IntegrityConsentCount,
  type IntegrityFlag,
  type IntegrityFlagCode,
  type IntegrityQuery,
  type IntegrityReport,
  type IntegrityWishItem,
  type IntegrityWishQuery,
  type Page,
} from '@xinyuan/shared';
import { LedgerPeriodHeaderDto, LedgerRatesQueryDto, LedgerWishItemDto } from './ledger.dto';

export class IntegrityQueryDto extends LedgerRatesQueryDto implements IntegrityQuery {}

export class IntegrityWishQueryDto extends LedgerRatesQueryDto implements IntegrityWishQuery {
  @ApiProperty({ enum: INTEGRITY_FLAGS }) @IsIn(INTEGRITY_FLAGS) flag: IntegrityFlagCode;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: 20, maximum: 100 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100) limit?: number;
}

class IntegrityConsentCountDto implements IntegrityConsentCount {
  @ApiProperty({ enum: CONSENT_METHODS, nullable: true }) method: ConsentMethod | null;
  @ApiProperty() count: number;
}
class IntegrityFlagDto implements IntegrityFlag {
  @ApiProperty({ enum: INTEGRITY_FLAGS }) code: IntegrityFlagCode;
  @ApiProperty({ description: 'Wishes flagged' }) count: number;
  @ApiProperty({ description: 'The wishes it is a share of' }) denominator: number;
  @ApiProperty({ type: Number, nullable: true }) share: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'claim_cycles: the cycles of the flagged wishes' }) cycles: number | null;
  @ApiProperty({ type: [IntegrityConsentCountDto], nullable: true, description: 'rating_on_behalf: by consent method' }) byConsent: IntegrityConsentCountDto[] | null;
  @ApiProperty({ description: 'A flag that should be zero is not' }) alarm: boolean;
}
export class IntegrityReportDto extends LedgerPeriodHeaderDto implements IntegrityReport {
  @ApiProperty() published: number;
  @ApiProperty({ type: [IntegrityFlagDto] }) flags: IntegrityFlagDto[];
}
export class IntegrityWishItemDto extends LedgerWishItemDto implements IntegrityWishItem {
  @ApiProperty({ type: Number, nullable: true, description: 'claim_cycles: cycles; quick_completion: minutes from the claim to the completion' }) measure: number | null;
}
export class IntegrityPageDto implements Page<IntegrityWishItem> {
  @ApiProperty({ type: [IntegrityWishItemDto] }) items: IntegrityWishItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
