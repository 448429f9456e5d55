import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Matches, Min } from 'class-validator';
import { IsOptional, QueryInt } from '../../common/http/validation';
import { TextField } from '../../common/http/text';
import { RATINGS, REGISTRATION_STATUSES, type MemberRecord, type MemberRecordItem, type MemberRecordQuery, type Rating, type MemberRegistrationRequest, type MemberRegistrationView, type RefuseRegistrationRequest, type DeactivateMemberRequest, type RegistrationStatus } from '@xinyuan/shared';

export class MemberRegistrationDto implements MemberRegistrationRequest {
  @ApiProperty() @IsInt() @Min(1) communityId: number;
  @ApiProperty() @TextField(2, 20) realName: string;
  @ApiProperty() @IsString() @Matches(/^1\d{10}$/, { message: 'phone must be a mobile number' }) phone: string;
  @ApiProperty() @TextField(2, 100) workUnit: string;
}
export class RefuseRegistrationDto implements RefuseRegistrationRequest {
  @ApiProperty() @TextField(1, 200, { multiline: true }) reason: string;
}
export class RegistrationQueryDto {
  @ApiProperty() @QueryInt() @IsInt() @Min(1) communityId: number;
  @ApiPropertyOptional({ enum: REGISTRATION_STATUSES }) @IsOptional() @IsIn(REGISTRATION_STATUSES) status?: RegistrationStatus;
}
export class MemberRegistrationViewDto implements MemberRegistrationView {
  @ApiProperty() id: number;
  @ApiProperty() userId: number;
  @ApiProperty() communityId: number;
  @ApiProperty() communityName: string;
  @ApiProperty() realName: string;
  @ApiProperty() phone: string;
  @ApiProperty() workUnit: string;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status: RegistrationStatus;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) reviewedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) refuseReason: string | null;
  @ApiProperty({ type: String, nullable: true }) revokeReason: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedAt: string | null;
}
export class DeactivateMemberDto implements DeactivateMemberRequest {
  @ApiProperty() @TextField(1, 200, { multiline: true }) reason: string;
}
export class MemberDeactivationDto extends MemberRegistrationViewDto {
  @ApiProperty({ type: [Number], description: 'Wishes the member held that went back to the pool' }) releasedWishIds: number[];
}

export class MemberRecordQueryDto implements MemberRecordQuery {
  @ApiProperty({ example: '2026-11', description: 'A Beijing month YYYY-MM' })
  @IsString()
  @Matches(/^20\d{2}-(0[1-9]|1[0-2])$/, { message: 'month must be a month YYYY-MM' })
  month: string;
}
class MemberRecordItemDto implements MemberRecordItem {
  @ApiProperty() wishId: number;
  @ApiProperty() no: string;
  @ApiProperty() title: string;
  @ApiProperty() communityName: string;
  @ApiProperty({ type: String, nullable: true }) claimedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) completedAt: string | null;
  @ApiProperty() resolvedAt: string;
  @ApiProperty({ enum: RATINGS, nullable: true }) rating: Rating | null;
}
export class MemberRecordDto implements MemberRecord {
  @ApiProperty() userId: number;
  @ApiProperty() name: string;
  @ApiProperty() month: string;
  @ApiProperty({ type: String, nullable: true }) workUnit: string | null;
  @ApiProperty() fulfilled: number;
  @ApiProperty() rated: number;
  @ApiProperty() satisfied: number;
  @ApiProperty({ type: [MemberRecordItemDto] }) items: MemberRecordItemDto[];
}
