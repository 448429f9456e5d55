import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page, ReportView } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { IdPipe } from '../../common/http/validation';
import { Limit } from '../../common/http/rate-limits';
import { Sees } from '../../access/sees.guard';
import { CreateReportDto, HandleReportDto, MyReportsQueryDto, ReportPageDto, ReportsQueryDto, ReportViewDto } from './reports.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post('reports')
  @Limit('submit', 'RATE_LIMITED: over the per-minute limit of submissions (shared with wishes; Retry-After: seconds); QUOTA_EXCEEDED: too many of your reports wait for a reply')
  @ApiOperation({ summary: "Report a wish or a photo one can see (举报), or complain about the service to a community (投诉与建议); it reaches that community's desk" })
  @ApiCreatedResponse({ type: ReportViewDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateReportDto): Promise<ReportView> {
    return this.reports.create(actor, dto);
  }

  @Get('me/reports')
  @ApiOperation({ summary: 'My reports and complaints with their state and reply, newest first' })
  @ApiOkResponse({ type: ReportPageDto })
  mine(@CurrentActor() actor: Actor, @Query() q: MyReportsQueryDto): Promise<Page<ReportView>> {
    return this.reports.mine(actor, q);
  }

  @Get('reports')
  @ApiOperation({ summary: "The desk: reports and complaints of the communities under the actor's grants (committee, street, district/city), newest first" })
  @ApiOkResponse({ type: ReportPageDto })
  desk(@CurrentActor() actor: Actor, @Query() q: ReportsQueryDto): Promise<Page<ReportView>> {
    return this.reports.desk(actor, q);
  }

  @Post('reports/:id/handle')
  @Sees(ReportsService)
  @HttpCode(200)
  @ApiOperation({ summary: 'The desk answers a report or complaint (received → handled); the reply reaches the reporter in the inbox' })
  @ApiOkResponse({ type: ReportViewDto })
  handle(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: HandleReportDto): Promise<ReportView> {
    return this.reports.handle(actor, id, dto.reply);
  }
}
