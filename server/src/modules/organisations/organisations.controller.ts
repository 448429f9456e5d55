import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, Min } from 'class-validator';
import { IsOptional, QueryInt } from '../../common/http/validation';
import { COMMUNITY_CLASSES, ORG_KINDS, type CommunityClass, type OrgKind, type OrgView } from '@xinyuan/shared';
import { OrganisationsRepository } from './organisations.repository';

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

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('orgs')
export class OrganisationsController {
  constructor(private readonly orgs: OrganisationsRepository) {}

  /** Organisations (communities, compounds, ...) for pickers; public names only. */
  @Get()
  @ApiOkResponse({ type: [OrgDto] })
  async list(@Query() q: OrgQuery): Promise<OrgView[]> {
    const rows = await this.orgs.list(q.kind, q.parentId);
    return rows.map((o) => ({ id: o.id, kind: o.kind, name: o.name, parentId: o.parentId, communityClass: o.communityClass }));
  }
}
