import { Body, Controller, Delete, Get, HttpCode, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { DeleteAccountResult, MyDataExport } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { DeleteAccountDto, DeleteAccountResultDto, MyDataExportDto } from './dto/privacy.dto';
import { PrivacyExporter } from './privacy.exporter';
import { PrivacyService } from './privacy.service';
import { Limit } from '../../common/http/rate-limits';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class PrivacyController {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly exporter: PrivacyExporter,
  ) {}

  @Get('data')
  @Limit('export')
  @ApiOperation({ summary: '下载我的数据: everything kept about the caller (PIPL Art. 45), logged as a my_data read' })
  @ApiOkResponse({ type: MyDataExportDto })
  myData(@CurrentActor() actor: Actor): Promise<MyDataExport> {
    return this.privacy.myData(actor);
  }

  @Get('data.xlsx')
  @Limit('export')
  @ApiOperation({ summary: '下载我的数据 as an Excel workbook (one sheet per part), logged as a my_data read' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  myDataXlsx(@CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    return this.exporter.xlsx(actor, reply);
  }

  @Delete()
  @HttpCode(200)
  @ApiOperation({ summary: '注销账号 (PIPL Art. 47): withdraws unclaimed wishes, erases contact details, photos, inbox and registrations, revokes every token; body {confirm: true}' })
  @ApiOkResponse({ type: DeleteAccountResultDto })
  deleteAccount(@CurrentActor() actor: Actor, @Body() dto: DeleteAccountDto): Promise<DeleteAccountResult> {
    return this.privacy.deleteAccount(actor, dto);
  }
}
