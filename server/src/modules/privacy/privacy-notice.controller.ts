import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PRIVACY_NOTICE_VERSION, type PrivacyNoticeView } from '@xinyuan/shared';
import { Public } from '../../common/auth/decorators';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { PrivacyNoticeDto } from './dto/privacy.dto';

/**
 * What the privacy notice must say that only this deployment knows (PIPL Art. 17): the
 * handler and its contact, and the retention periods the jobs apply. Public: the notice is
 * read before anyone logs in or agrees. Nothing personal; configuration only, so no service.
 */
@ApiTags('privacy')
@Controller('privacy')
export class PrivacyNoticeController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Get('notice')
  @ApiOperation({ summary: 'The privacy notice\'s deployment facts: handler, contact, retention periods (public)' })
  @ApiOkResponse({ type: PrivacyNoticeDto })
  notice(): PrivacyNoticeView {
    const { operator, privacy } = this.config;
    return {
      version: PRIVACY_NOTICE_VERSION,
      operator: { name: operator.name, contact: operator.contact },
      // The retention job erases ended registrations after the same RETENTION_DAYS (retention.sweeper.ts).
      retention: { closedWishDays: privacy.retentionDays, endedRegistrationDays: privacy.retentionDays, unattachedUploadHours: privacy.orphanUploadHours },
    };
  }
}
