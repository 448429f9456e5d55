import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ORG_KINDS, ROLES, type ConsentRequest, type MeResponse, type OrgKind, type Role, type RoleGrantView } from '@xinyuan/shared';

export class ConsentDto implements ConsentRequest {
  @ApiProperty({ description: 'Version of the privacy notice the user agreed to' }) @IsString() @Length(1, 32) version: string;
}
export class RoleGrantDto implements RoleGrantView {
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() orgId: number;
  @ApiProperty() orgName: string;
  @ApiProperty({ enum: ORG_KINDS }) orgKind: OrgKind;
}
export class ConsentViewDto {
  @ApiProperty() version: string;
  @ApiProperty() consentedAt: string;
}
export class MeDto implements MeResponse {
  @ApiProperty() id: number;
  @ApiProperty({ type: String, nullable: true }) nickname: string | null;
  @ApiProperty({ type: [RoleGrantDto] }) roles: RoleGrantDto[];
  @ApiProperty({ type: ConsentViewDto, nullable: true }) consent: ConsentViewDto | null;
  @ApiProperty() consentRequired: boolean;
  @ApiProperty() privacyNoticeVersion: string;
}
