import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Matches, Min, ValidateIf } from 'class-validator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { IdPipe, IsOptional, QueryInt } from '../../common/http/validation';
import { COMMUNITY_CLASSES, ORG_KINDS, PHONE_PATTERN, type CommunityClass, type OfficePhoneView, type OrgKind, type OrgView, type SetOfficePhoneRequest } from '@xinyuan/shared';
import { OrganisationsRepository } from './organisations.repository';
import { OrganisationsService } from './organisations.service';

class OrgDto implements OrgView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ORG_KINDS }) kind: OrgKind;
  @ApiProperty() name: string;
  @ApiProperty({ type: Number, nullable: true }) parentId: number | null;
  @ApiProperty({ enum: COMMUNITY_CLASSES, nullable: true }) communityClass: CommunityClass | null;
}

class OrgQuery {
  @ApiPropertyOptional({ enum: ORG_KINDS }) @IsOptional() @IsIn(ORG_KINDS) kind?: OrgKind;
  @ApiPropertyOptional() @IsOptional() @QueryInt() @IsInt() @Min(1) parentId?: number;
}

class OfficePhoneDto implements OfficePhoneView {
  @ApiProperty() communityId: number;
  @ApiProperty() communityName: string;
  @ApiProperty({ type: String, nullable: true }) officePhone: string | null;
}

class SetOfficePhoneDto implements SetOfficePhoneRequest {
  @ApiProperty({ type: String, nullable: true, example: '0971-6123456', description: 'A mobile number or a landline with area code; null clears it' })
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'officePhone must be a mobile or landline number (with area code)' })
  officePhone: string | null;
}

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('orgs')
export class OrganisationsController {
  constructor(
    private readonly orgs: OrganisationsRepository,
    private readonly service: OrganisationsService,
  ) {}

  /** Organisations (communities, compounds, ...) for pickers; public names only. */
  @Get()
  @ApiOkResponse({ type: [OrgDto] })
  async list(@Query() q: OrgQuery): Promise<OrgView[]> {
    const rows = await this.orgs.list(q.kind, q.parentId);
    return rows.map((o) => ({ id: o.id, kind: o.kind, name: o.name, parentId: o.parentId, communityClass: o.communityClass }));
  }

  @Get('office-phones')
  @ApiOperation({ summary: "Community committees: the office phone (联系社区) of each community they run" })
  @ApiOkResponse({ type: [OfficePhoneDto] })
  officePhones(@CurrentActor() actor: Actor): Promise<OfficePhoneView[]> {
    return this.service.officePhones(actor);
  }

  @Put(':id/office-phone')
  @ApiOperation({ summary: "A community's committee: set or clear (null) its office phone, shown on its wishes as 联系社区" })
  @ApiOkResponse({ type: OfficePhoneDto })
  setOfficePhone(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: SetOfficePhoneDto): Promise<OfficePhoneView> {
    return this.service.setOfficePhone(actor, id, dto.officePhone);
  }
}
