import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ORG_KINDS, ROLES, type Ability, type AbilityScope, type AbilityView, type ConsentRequest, type MeResponse, type OrgKind, type Role, type RoleGrantView } from '@xinyuan/shared';

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
export class AbilityScopeDto implements AbilityScope {
  @ApiProperty() orgId: number;
  @ApiProperty() orgName: string;
  @ApiProperty({ enum: ORG_KINDS }) orgKind: OrgKind;
}
export class AbilityViewDto implements AbilityView {
  @ApiProperty() allowed: boolean;
  @ApiProperty({ type: [AbilityScopeDto], description: 'the grants it comes from (each reaches everything under its organisation)' }) orgs: AbilityScopeDto[];
}
/** One entry per ability of shared/src/access.ts (ABILITY_RULES). */
export class MeAbilitiesDto implements Record<Ability, AbilityView> {
  @ApiProperty({ type: AbilityViewDto }) submit: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) submit_on_behalf: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) wall: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) review_queue: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) registrations: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) ledger: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) export: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) rates: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) funds: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) red_list: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) spend_community: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) spend_street: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) budget: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) dispatch_policy: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) access_log: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) reports: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) unit_desk: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) street_desk: AbilityViewDto;
  @ApiProperty({ type: AbilityViewDto }) office_phone: AbilityViewDto;
}
export class MeDto implements MeResponse {
  @ApiProperty() id: number;
  @ApiProperty({ type: String, nullable: true }) nickname: string | null;
  @ApiProperty({ type: [RoleGrantDto], description: 'the grants the access policy honours' }) roles: RoleGrantDto[];
  @ApiProperty({ type: MeAbilitiesDto, description: 'what the access policy lets this person do (shared/src/access.ts)' }) abilities: MeAbilitiesDto;
  @ApiProperty({ type: ConsentViewDto, nullable: true }) consent: ConsentViewDto | null;
  @ApiProperty() consentRequired: boolean;
  @ApiProperty() privacyNoticeVersion: string;
}
