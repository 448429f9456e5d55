import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { IsOptional, QueryInt } from '../../common/http/validation';
import { CALENDAR_DAY_KINDS, COMMUNITY_CLASSES, TIERS, type CalendarDayKind, type CalendarDayView, type CommunityClass, type PolicyView, type PolicyWindow, type SetCalendarDayRequest, type Tier, type UpdatePolicyRequest } from '@xinyuan/shared';
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
  @ApiProperty({ enum: ['override', 'package', 'weekday'] }) source: 'override' | 'package' | 'weekday';
}
