import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { REGISTRATION_STATUSES, type MemberRegistrationRequest, type MemberRegistrationView, type RefuseRegistrationRequest, type RegistrationStatus } from '@xinyuan/shared';

export class MemberRegistrationDto implements MemberRegistrationRequest {
  @ApiProperty() @IsInt() @Min(1) communityId: number;
  @ApiProperty() @IsString() @Length(2, 20) @Matches(/^[^\u0000-\u001f\u007f]*$/) realName: string;
  @ApiProperty() @IsString() @Matches(/^1\d{10}$/, { message: 'phone must be a mobile number' }) phone: string;
  @ApiProperty() @IsString() @Length(2, 100) @Matches(/^[^\u0000-\u001f\u007f]*$/) workUnit: string;
}
export class RefuseRegistrationDto implements RefuseRegistrationRequest {
  @ApiProperty() @IsString() @Length(1, 200) reason: string;
}
export class RegistrationQueryDto {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) communityId: number;
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
}
