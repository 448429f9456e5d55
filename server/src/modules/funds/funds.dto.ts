import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsOptional, QueryInt } from '../../common/http/validation';
import {
  COMMUNITY_CLASSES,
  FUND_BUDGET_MAX_FEN,
  FUND_SPEND_STATUSES,
  LIMITS,
  type CommunityClass,
  type FundSpendStatus,
  type FundSpendView,
  type FundSpendsQuery,
  type FundsQuery,
  type FundView,
  type RefuseFundSpendRequest,
  type SetFundBudgetRequest,
} from '@xinyuan/shared';
import { TextField } from '../../common/http/text';
import { FundsException } from './funds.exception';

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

export class FundsQueryDto implements FundsQuery {
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) communityId?: number;
  @ApiPropertyOptional({ example: 2026, description: 'Beijing calendar year; the current one when left out' })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  year?: number;
}
export class FundSpendsQueryDto implements FundSpendsQuery {
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) communityId?: number;
  @ApiPropertyOptional({ example: 2026, description: 'all years when left out' }) @IsOptional() @QueryInt() @IsInt() @Min(MIN_YEAR) @Max(MAX_YEAR) year?: number;
  @ApiPropertyOptional({ enum: FUND_SPEND_STATUSES }) @IsOptional() @IsIn(FUND_SPEND_STATUSES) status?: FundSpendStatus;
}
export class SetFundBudgetDto implements SetFundBudgetRequest {
  @ApiProperty({ description: 'fen (1 yuan = 100 fen)', minimum: 0, maximum: FUND_BUDGET_MAX_FEN }) @IsInt() @Min(0) @Max(FUND_BUDGET_MAX_FEN) budgetFen: number;
}
export class RefuseFundSpendDto implements RefuseFundSpendRequest {
  @ApiProperty({ maxLength: LIMITS.reasonMax }) @TextField(1, LIMITS.reasonMax, { multiline: true }) reason: string;
}

export class FundViewDto implements FundView {
  @ApiProperty() communityId: number;
  @ApiProperty() communityName: string;
  @ApiProperty({ enum: COMMUNITY_CLASSES }) communityClass: CommunityClass;
  @ApiProperty() year: number;
  @ApiProperty({ description: 'fen' }) budgetFen: number;
  @ApiProperty({ enum: ['class_default', 'set'] }) budgetSource: 'class_default' | 'set';
  @ApiProperty({ description: 'recorded and approved spends, fen' }) spentFen: number;
  @ApiProperty({ description: 'spends waiting for approval (the committee or the street), fen' }) pendingFen: number;
  @ApiProperty({ description: 'budget − spent, fen' }) remainingFen: number;
  @ApiProperty({ type: Number, nullable: true }) updatedBy: number | null;
  @ApiProperty({ type: String, nullable: true }) updatedAt: string | null;
}
export class FundSpendViewDto implements FundSpendView {
  @ApiProperty() id: number;
  @ApiProperty() wishId: number;
  @ApiProperty() wishTitle: string;
  @ApiProperty() communityId: number;
  @ApiProperty() year: number;
  @ApiProperty({ description: 'fen' }) amountFen: number;
  @ApiProperty({ enum: FUND_SPEND_STATUSES }) status: FundSpendStatus;
  @ApiProperty() createdBy: number;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: Number, nullable: true, description: "the committee's approval that sent it on to the street" }) reviewedBy: number | null;
  @ApiProperty({ type: String, nullable: true }) reviewedAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) decidedBy: number | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ enum: ['approve', 'refuse'], isArray: true, description: 'what this reader may do with it now' }) actions: ('approve' | 'refuse')[];
}

/** A year in a path: 2000–2100. */
@Injectable()
export class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const n = Number(value);
    if (!/^\d{4}$/.test(String(value)) || n < MIN_YEAR || n > MAX_YEAR) {
      throw new FundsException('VALIDATION_FAILED', undefined, [`year must be a year from ${MIN_YEAR} to ${MAX_YEAR} (got "${String(value).slice(0, 20)}")`]);
    }
    return n;
  }
}
