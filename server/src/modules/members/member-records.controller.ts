import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { MemberRecord } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { IdPipe } from '../../common/http/validation';
import { Limit } from '../../common/http/rate-limits';
import { MemberRecordDto, MemberRecordQueryDto } from './members.dto';
import { MemberRecordsService } from './member-records.service';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function file(reply: FastifyReply, asciiName: string, f: { fileName: string; body: Buffer }, type: string): StreamableFile {
  reply.header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`);
  return new StreamableFile(f.body, { type });
}

@ApiTags('members')
@ApiBearerAuth()
@Controller('members')
export class MemberRecordsController {
  constructor(private readonly records: MemberRecordsService) {}

  @Get(':userId/records')
  @ApiOperation({ summary: "A member's service record for a Beijing month: the wishes they fulfilled (resolved as claimant). The member, or the committee of a community they registered at (its wishes only)" })
  @ApiOkResponse({ type: MemberRecordDto })
  record(@CurrentActor() actor: Actor, @Param('userId', IdPipe) userId: number, @Query() q: MemberRecordQueryDto): Promise<MemberRecord> {
    return this.records.record(actor, userId, q.month);
  }

  @Get(':userId/records.csv')
  @Limit('export')
  @ApiOperation({ summary: 'The same record as CSV (UTF-8 with BOM), for the member\'s work unit (双报到)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  async csv(@CurrentActor() actor: Actor, @Param('userId', IdPipe) userId: number, @Query() q: MemberRecordQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    return file(reply, `member-record-${q.month}-${userId}.csv`, await this.records.csv(actor, userId, q.month), 'text/csv; charset=utf-8');
  }

  @Get(':userId/records.xlsx')
  @Limit('export')
  @ApiOperation({ summary: 'The same record as an Excel workbook (opens in WeChat\'s document viewer)' })
  @ApiProduces(XLSX_MIME)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async xlsx(@CurrentActor() actor: Actor, @Param('userId', IdPipe) userId: number, @Query() q: MemberRecordQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    return file(reply, `member-record-${q.month}-${userId}.xlsx`, await this.records.xlsx(actor, userId, q.month), XLSX_MIME);
  }
}
