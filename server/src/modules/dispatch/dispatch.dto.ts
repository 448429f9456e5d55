import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Transform } from 'class-transformer';
import { IsOptional, QueryInt } from '../../common/http/validation';
import { CALENDAR_DAY_KINDS, CALENDAR_DAY_SOURCES, COMMUNITY_CLASSES, TIERS, type CalendarDayKind, type CalendarDaySource, type CalendarDayView, type CalendarStatus, type NoticeDay, type NoticeParseResult, type ParseNoticeRequest, type SaveNoticeRequest, type SaveNoticeResult, type SetCalendarDayResponse, type CommunityClass, type PolicyView, type PolicyWindow, type SetCalendarDayRequest, type Tier, type UpdatePolicyRequest } from '@xinyuan/shared';
import { TextField } from '../../common/http/text';

export class PolicyWindowDto implements PolicyWindow {
  @ApiProperty({ enum: COMMUNITY_CLASSES }) @IsIn(COMMUNITY_CLASSES) communityClass: CommunityClass;
  @ApiProperty({ enum: TIERS }) @IsIn(TIERS) tier: Tier;
  @ApiProperty({ description: 'working minutes (clock minutes for urgent wishes)', minimum: 10, maximum: 525600 }) @IsInt() @Min(10) @Max(525_600) claimMinutes: number;
  @ApiProperty({ description: 'working minutes (clock minutes for urgent wishes)', minimum: 10, maximum: 525600 }) @IsInt() @Min(10) @Max(525_600) fulfilMinutes: number;
}
export class UpdatePolicyDto implements UpdatePolicyRequest {
  @ApiProperty({ type: [PolicyWindowDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @ValidateNested({ each: true })
  @Type(() => PolicyWindowDto)
  windows: PolicyWindowDto[];
}
export class PolicyViewDto implements PolicyView {
  @ApiProperty({ type: [PolicyWindowDto] }) windows: PolicyWindowDto[];
  @ApiProperty({ type: String, nullable: true }) effectiveFrom: string | null;
}
export class SetCalendarDayDto implements SetCalendarDayRequest {
  @ApiProperty({ enum: CALENDAR_DAY_KINDS }) @IsIn(CALENDAR_DAY_KINDS) kind: CalendarDayKind;
  @ApiPropertyOptional() @IsOptional() @TextField(1, 50) note?: string;
}
export class CalendarQueryDto {
  @ApiProperty({ example: 2027 }) @QueryInt() @IsInt() @Min(2000) @Max(2100) year: number;
}
export class CalendarDayViewDto implements CalendarDayView {
  @ApiProperty() day: string;
  @ApiProperty({ enum: CALENDAR_DAY_KINDS }) kind: CalendarDayKind;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ enum: CALENDAR_DAY_SOURCES, description: "admin: a city admin's entry; package: the calendar package; law: a statutory holiday by law; weekday: plain week outside the package's years" })
  source: CalendarDaySource;
}
export class SetCalendarDayResponseDto extends CalendarDayViewDto implements SetCalendarDayResponse {
  @ApiProperty({ type: [String], description: 'what contradicts the law (the entry is saved all the same)' }) warnings: string[];
}

// ---- the State Council's yearly notice ----
export class ParseNoticeDto implements ParseNoticeRequest {
  @ApiProperty({ description: 'the notice as pasted (国务院办公厅关于YYYY年部分节假日安排的通知)', minLength: 1, maxLength: 10000 })
  // Pasted text: Windows line ends and tabs are ordinary; other control characters are not.
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').trim() : value))
  @IsString()
  @Length(1, 10_000)
  @Matches(/^[^\u0000-\u0009\u000b-\u001f\u007f]*$/, { message: 'text must not contain control characters' })
  text: string;
  @ApiPropertyOptional({ description: 'the year the notice is for; must agree with the text', example: 2027 }) @IsOptional() @IsInt() @Min(2000) @Max(2100) year?: number;
}
export class NoticeDayDto implements NoticeDay {
  @ApiProperty({ example: '2027-02-05' }) @IsString() @Matches(/^\d{4}-\d{2}-\d{2}$/) day: string;
  @ApiProperty({ enum: CALENDAR_DAY_KINDS }) @IsIn(CALENDAR_DAY_KINDS) kind: CalendarDayKind;
  @ApiProperty({ example: '春节' }) @TextField(1, 30) holiday: string;
}
export class NoticeParseResultDto implements NoticeParseResult {
  @ApiProperty() year: number;
  @ApiProperty({ type: [NoticeDayDto] }) days: NoticeDayDto[];
  @ApiProperty({ type: [String] }) unparsed: string[];
  @ApiProperty({ type: [String] }) warnings: string[];
}
export class SaveNoticeDto implements SaveNoticeRequest {
  @ApiProperty({ example: 2027 }) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiProperty({ type: [NoticeDayDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(120)
  @ValidateNested({ each: true })
  @Type(() => NoticeDayDto)
  days: NoticeDayDto[];
}
export class SaveNoticeResultDto implements SaveNoticeResult {
  @ApiProperty() year: number;
  @ApiProperty() saved: number;
  @ApiProperty({ type: [String] }) warnings: string[];
  @ApiProperty({ type: [CalendarDayViewDto] }) calendar: CalendarDayViewDto[];
}
class PackageYearsDto {
  @ApiProperty() min: number;
  @ApiProperty() max: number;
}
export class CalendarStatusDto implements CalendarStatus {
  @ApiProperty({ example: '2026-11-01' }) today: string;
  @ApiProperty() nextYear: number;
  @ApiProperty({ enum: ['package', 'admin'], nullable: true, type: String }) nextYearArrangement: 'package' | 'admin' | null;
  @ApiProperty({ type: PackageYearsDto }) packageYears: PackageYearsDto;
  @ApiProperty({ type: String, nullable: true, description: "from 1 November while next year has neither package data nor city admins' entries" }) warning: string | null;
}
