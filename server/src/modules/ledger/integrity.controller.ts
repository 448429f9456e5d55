import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IntegrityReport, IntegrityWishItem, Page } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { IntegrityPageDto, IntegrityQueryDto, IntegrityReportDto, IntegrityWishQueryDto } from './integrity.dto';
import { IntegrityService } from './integrity.service';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('ledger/integrity')
export class IntegrityController {
  constructor(private readonly integrity: IntegrityService) {}

  @Get()
  @ApiOperation({ summary: 'Integrity flags (诚信预警) of an organisation, for wishes published in the period: count, denominator, share' })
  @ApiOkResponse({ type: IntegrityReportDto })
  report(@CurrentActor() actor: Actor, @Query() q: IntegrityQueryDto): Promise<IntegrityReport> {
    return this.integrity.report(actor, q);
  }

  @Get('wishes')
  @ApiOperation({ summary: 'The wishes behind one integrity flag, newest first (keyset on id), as ledger lines the reader may open' })
  @ApiOkResponse({ type: IntegrityPageDto })
  wishes(@CurrentActor() actor: Actor, @Query() q: IntegrityWishQueryDto): Promise<Page<IntegrityWishItem>> {
    return this.integrity.wishes(actor, q);
  }
}
