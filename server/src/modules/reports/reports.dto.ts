import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  REPORT_CATEGORIES,
  REPORT_KINDS,
  REPORT_LIMITS,
  REPORT_STATES,
  type CreateReportRequest,
  type HandleReportRequest,
  type Page,
  type ReportCategory,
  type ReportKind,
  type ReportState,
  type ReportView,
  type ReportsQuery,
} from '@xinyuan/shared';
import { TextField } from '../../common/http/text';
import { IsOptional, QueryInt } from '../../common/http/validation';

export const REPORTS_PAGE_DEFAULT = 20;
export const REPORTS_PAGE_MAX = 50;
const PHOTO_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class CreateReportDto implements CreateReportRequest {
  @ApiProperty({ enum: REPORT_KINDS }) @IsIn(REPORT_KINDS) kind: ReportKind;
  @ApiProperty({ enum: REPORT_CATEGORIES, description: "one of the kind's categories: a report's reasons, a complaint's topics (REPORT_CATEGORY_INVALID otherwise)" })
  @IsIn(REPORT_CATEGORIES)
  category: ReportCategory;
  @ApiPropertyOptional({ maxLength: REPORT_LIMITS.textMax, description: "required for a complaint and for the category 'other'" })
  @IsOptional()
  @TextField(1, REPORT_LIMITS.textMax, { multiline: true })
  text?: string;
  @ApiPropertyOptional({ description: "kind 'wish'" }) @IsOptional() @IsInt() @Min(1) @Max(2_147_483_647) wishId?: number;
  @ApiPropertyOptional({ description: "kind 'photo' (PhotoView.id)" }) @IsOptional() @IsString() @Matches(PHOTO_ID) photoId?: string;
  @ApiPropertyOptional({ description: "kind 'complaint': the community complained to (the reporter's own when left out)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  communityId?: number;
}

export class HandleReportDto implements HandleReportRequest {
  @ApiProperty({ maxLength: REPORT_LIMITS.replyMax }) @TextField(1, REPORT_LIMITS.replyMax, { multiline: true }) reply: string;
}

export class ReportsQueryDto implements ReportsQuery {
  @ApiPropertyOptional({ enum: REPORT_STATES }) @IsOptional() @IsIn(REPORT_STATES) state?: ReportState;
  @ApiPropertyOptional({ enum: REPORT_KINDS }) @IsOptional() @IsIn(REPORT_KINDS) kind?: ReportKind;
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(2_147_483_647) communityId?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(20) cursor?: string;
  @ApiPropertyOptional({ default: REPORTS_PAGE_DEFAULT, maximum: REPORTS_PAGE_MAX }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(REPORTS_PAGE_MAX) limit?: number;
}

export class MyReportsQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(20) cursor?: string;
  @ApiPropertyOptional({ default: REPORTS_PAGE_DEFAULT, maximum: REPORTS_PAGE_MAX }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(REPORTS_PAGE_MAX) limit?: number;
}

export class ReportViewDto implements ReportView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: REPORT_KINDS }) kind: ReportKind;
  @ApiProperty({ enum: REPORT_CATEGORIES }) category: ReportCategory;
  @ApiProperty({ type: String, nullable: true }) text: string | null;
  @ApiProperty({ type: Number, nullable: true }) wishId: number | null;
  @ApiProperty({ type: String, nullable: true }) wishNo: string | null;
  @ApiProperty({ type: String, nullable: true }) wishTitle: string | null;
  @ApiProperty({ type: String, nullable: true }) photoId: string | null;
  @ApiProperty() communityId: number;
  @ApiProperty() communityName: string;
  @ApiProperty({ enum: REPORT_STATES }) state: ReportState;
  @ApiProperty({ type: String, nullable: true }) reply: string | null;
  @ApiProperty({ type: String, nullable: true }) handledAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'desk only' }) reporterName?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'desk only' }) handledByName?: string | null;
  @ApiProperty({ enum: ['handle'], isArray: true, description: 'what this reader may do now' }) actions: 'handle'[];
}

export class ReportPageDto implements Page<ReportView> {
  @ApiProperty({ type: [ReportViewDto] }) items: ReportViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
