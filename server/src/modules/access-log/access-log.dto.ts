import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsOptional, QueryInt } from '../../common/http/validation';
import { ACCESS_PURPOSES, ROLES, type AccessLogEntryView, type AccessLogQuery, type AccessLogRecordView, type AccessPurpose, type Page, type Role } from '@xinyuan/shared';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class AccessLogQueryDto implements AccessLogQuery {
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) actorId?: number;
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) subjectUserId?: number;
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) wishId?: number;
  @ApiPropertyOptional({ enum: ACCESS_PURPOSES }) @IsOptional() @IsIn(ACCESS_PURPOSES) purpose?: AccessPurpose;
  @ApiPropertyOptional({ example: '2026-11-01' }) @IsOptional() @IsString() @Matches(DAY, { message: 'from must be a day like 2026-11-01' }) from?: string;
  @ApiPropertyOptional({ example: '2026-11-30' }) @IsOptional() @IsString() @Matches(DAY, { message: 'to must be a day like 2026-11-30' }) to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: 20, maximum: 100 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100) limit?: number;
}

export class AccessLogEntryDto implements AccessLogEntryView {
  @ApiProperty() id: number;
  @ApiProperty() at: string;
  @ApiProperty({ enum: ACCESS_PURPOSES }) purpose: AccessPurpose;
  @ApiProperty({ type: [String] }) fields: string[];
  @ApiProperty({ enum: ROLES, nullable: true }) role: Role | null;
  @ApiProperty({ type: String, nullable: true }) orgName: string | null;
  @ApiProperty({ type: Number, nullable: true }) wishId: number | null;
  @ApiProperty({ type: String, nullable: true }) wishNo: string | null;
}
export class AccessLogRecordDto extends AccessLogEntryDto implements AccessLogRecordView {
  @ApiProperty({ type: Number, nullable: true }) actorId: number | null;
  @ApiProperty({ type: String, nullable: true }) actorName: string | null;
  @ApiProperty({ type: Number, nullable: true }) subjectUserId: number | null;
  @ApiProperty({ type: Number, nullable: true }) registrationId: number | null;
  @ApiProperty({ type: String, nullable: true }) requestId: string | null;
  @ApiProperty({ type: Object, nullable: true }) filter: Record<string, unknown> | null;
  @ApiProperty({ type: Number, nullable: true }) rowCount: number | null;
}
export class AccessLogEntryPageDto implements Page<AccessLogEntryView> {
  @ApiProperty({ type: [AccessLogEntryDto] }) items: AccessLogEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
export class AccessLogRecordPageDto implements Page<AccessLogRecordView> {
  @ApiProperty({ type: [AccessLogRecordDto] }) items: AccessLogRecordDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
