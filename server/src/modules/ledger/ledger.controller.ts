import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { LedgerDashboard, LedgerExportLink, LedgerPage, LedgerRanking, LedgerRatesExplained, LedgerRatesReport, LedgerVerifyReport, LedgerWishDetail } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor, Public } from '../../common/auth/decorators';
import { IdPipe } from '../../common/http/validation';
import { LedgerDashboardDto, LedgerDashboardQueryDto, LedgerExportLinkDto, LedgerExportLinkDtoView, LedgerExportQueryDto, LedgerPageDto, LedgerRankingDto, LedgerRatesExplainedDto, LedgerRatesQueryDto, LedgerRatesReportDto, LedgerVerifyQueryDto, LedgerVerifyReportDto, LedgerWishDetailDto, LedgerWishQueryDto } from './ledger.dto';
import { LedgerChainService } from './ledger-chain.service';
import { LedgerExporter } from './ledger.exporter';
import { LedgerService } from './ledger.service';
import { Limit } from '../../common/http/rate-limits';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly exporter: LedgerExporter,
    private readonly chain: LedgerChainService,
  ) {}

  @Get('wishes')
  @ApiOperation({ summary: "The ledger (台账): wishes in the actor's scope, newest first (keyset on id)" })
  @ApiOkResponse({ type: LedgerPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: LedgerWishQueryDto): Promise<LedgerPage> {
    return this.ledger.list(actor, q);
  }

  @Get('wishes/:id')
  @ApiOperation({ summary: 'One ledger line with its full timeline of events' })
  @ApiOkResponse({ type: LedgerWishDetailDto })
  detail(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<LedgerWishDetail> {
    return this.ledger.detail(actor, id);
  }

  @Get('rates')
  @ApiOperation({ summary: 'The three rates (三率) with numerators and denominators, for wishes published in the period' })
  @ApiOkResponse({ type: LedgerRatesReportDto })
  rates(@CurrentActor() actor: Actor, @Query() q: LedgerRatesQueryDto): Promise<LedgerRatesReport> {
    return this.ledger.rates(actor, q);
  }

  @Get('rates/explained')
  @ApiOperation({ summary: 'The three rates with their rules in plain Chinese, the count of every category each includes or leaves out, and closures by code' })
  @ApiOkResponse({ type: LedgerRatesExplainedDto })
  ratesExplained(@CurrentActor() actor: Actor, @Query() q: LedgerRatesQueryDto): Promise<LedgerRatesExplained> {
    return this.ledger.ratesExplained(actor, q);
  }

  @Get('ranking')
  @ApiOperation({ summary: 'Members ranked by wishes resolved in the period (claims alone do not count)' })
  @ApiOkResponse({ type: LedgerRankingDto })
  ranking(@CurrentActor() actor: Actor, @Query() q: LedgerRatesQueryDto): Promise<LedgerRanking> {
    return this.ledger.ranking(actor, q);
  }

  @Get('dashboard')
  @ApiOperation({ summary: "The committee's dashboard for one organisation and year: rates, monthly rates, wishes by state and tier, fund" })
  @ApiOkResponse({ type: LedgerDashboardDto })
  dashboard(@CurrentActor() actor: Actor, @Query() q: LedgerDashboardQueryDto): Promise<LedgerDashboard> {
    return this.ledger.dashboard(actor, q);
  }

  @Get('verify')
  @ApiOperation({ summary: "Verifies the hash chains of an organisation's ledger (all, or the wishes with events on a day) and gives the day's digest (台账校验码), compared with a printed one" })
  @ApiOkResponse({ type: LedgerVerifyReportDto })
  verify(@CurrentActor() actor: Actor, @Query() q: LedgerVerifyQueryDto): Promise<LedgerVerifyReport> {
    return this.chain.verify(actor, q);
  }

  @Post('export-links')
  @Limit('export')
  @HttpCode(200)
  @ApiOperation({ summary: 'A download link (valid 10 minutes, no Authorization header needed) for an export with these filters' })
  @ApiOkResponse({ type: LedgerExportLinkDtoView })
  exportLink(@CurrentActor() actor: Actor, @Body() dto: LedgerExportLinkDto): Promise<LedgerExportLink> {
    return this.ledger.exportLink(actor, dto);
  }

  @Public()
  @Get('download')
  @Limit('export')
  @ApiOperation({ summary: 'Downloads the export a link was made for (scope checked again now)' })
  @ApiQuery({ name: 'token', required: true, description: 'The signed token of the link from POST /ledger/export-links (single use)' })
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 410, description: 'EXPORT_LINK_INVALID (bad, expired, or its owner logged out) or EXPORT_LINK_USED (a link works once)' })
  async download(@Query('token') token: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const { actor, format, q } = await this.ledger.redeemExportLink(typeof token === 'string' ? token : '');
    return format === 'csv' ? this.exporter.csv(actor, q, reply) : this.exporter.xlsx(actor, q, reply);
  }

  @Get('export.csv')
  @Limit('export')
  @ApiOperation({ summary: 'The ledger as CSV (UTF-8 with BOM), streamed' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  exportCsv(@CurrentActor() actor: Actor, @Query() q: LedgerExportQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    return this.exporter.csv(actor, q, reply);
  }

  @Get('export.xlsx')
  @Limit('export')
  @ApiOperation({ summary: 'The ledger as an Excel workbook (台账, 三率 and 经费 sheets), streamed' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  exportXlsx(@CurrentActor() actor: Actor, @Query() q: LedgerExportQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    return this.exporter.xlsx(actor, q, reply);
  }
}
