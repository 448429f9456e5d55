import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AccessLogEntryView, AccessLogRecordView, Page } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { AccessLogEntryPageDto, AccessLogQueryDto, AccessLogRecordPageDto } from './access-log.dto';
import { AccessLogService } from './access-log.service';

@ApiTags('access log')
@ApiBearerAuth()
@Controller()
export class AccessLogController {
  constructor(private readonly log: AccessLogService) {}

  @Get('me/access-log')
  @ApiOperation({ summary: '谁查看了我的信息: who read my details in full, by role and organisation, newest first' })
  @ApiOkResponse({ type: AccessLogEntryPageDto })
  mine(@CurrentActor() actor: Actor, @Query() q: AccessLogQueryDto): Promise<Page<AccessLogEntryView>> {
    return this.log.mine(actor, q);
  }

  @Get('access-log')
  @ApiOperation({ summary: 'City and district departments: search who read personal information under the grant' })
  @ApiOkResponse({ type: AccessLogRecordPageDto })
  search(@CurrentActor() actor: Actor, @Query() q: AccessLogQueryDto): Promise<Page<AccessLogRecordView>> {
    return this.log.search(actor, q);
  }
}
