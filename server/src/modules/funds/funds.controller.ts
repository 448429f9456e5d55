import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FundSpendView, FundView } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { IdPipe } from '../../common/http/validation';
import { Sees } from '../../access/sees.guard';
import { FundSpendsQueryDto, FundSpendViewDto, FundsQueryDto, FundViewDto, RefuseFundSpendDto, SetFundBudgetDto, YearPipe } from './funds.dto';
import { FundsService } from './funds.service';

@ApiTags('funds')
@ApiBearerAuth()
@Controller('funds')
export class FundsController {
  constructor(private readonly funds: FundsService) {}

  @Get()
  @ApiOperation({ summary: "Service funds of the communities in the actor's scope for a year: budget, spent, pending, remaining (fen)" })
  @ApiOkResponse({ type: [FundViewDto] })
  list(@CurrentActor() actor: Actor, @Query() q: FundsQueryDto): Promise<FundView[]> {
    return this.funds.list(actor, q);
  }

  @Get('spends')
  @ApiOperation({ summary: "Spends of the communities in the actor's scope, newest first (at most 500)" })
  @ApiOkResponse({ type: [FundSpendViewDto] })
  spends(@CurrentActor() actor: Actor, @Query() q: FundSpendsQueryDto): Promise<FundSpendView[]> {
    return this.funds.spends(actor, q);
  }

  @Put(':communityId/:year')
  @ApiOperation({ summary: "City admins: set a community's budget for a year (the change is kept)" })
  @ApiOkResponse({ type: FundViewDto })
  setBudget(@CurrentActor() actor: Actor, @Param('communityId', IdPipe) communityId: number, @Param('year', YearPipe) year: number, @Body() dto: SetFundBudgetDto): Promise<FundView> {
    return this.funds.setBudget(actor, communityId, year, dto.budgetFen);
  }

  @Post('spends/:id/approve')
  @Sees(FundsService)
  @HttpCode(200)
  @ApiOperation({ summary: "Approve a spend at its stage: the community committee a reported cost (above the remaining budget it goes on to the street), the street's desk one above the budget" })
  @ApiOkResponse({ type: FundSpendViewDto })
  approve(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<FundSpendView> {
    return this.funds.approve(actor, id);
  }

  @Post('spends/:id/refuse')
  @Sees(FundsService)
  @HttpCode(200)
  @ApiOperation({ summary: 'Refuse a spend at its stage (the community committee, or the street above the budget)' })
  @ApiOkResponse({ type: FundSpendViewDto })
  refuse(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RefuseFundSpendDto): Promise<FundSpendView> {
    return this.funds.refuse(actor, id, dto.reason);
  }
}
