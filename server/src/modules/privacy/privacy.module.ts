import { ReportsModule } from '../reports/reports.module';
import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { WishesModule } from '../wishes/wishes.module';
import { RetentionSweeper } from './jobs/retention.sweeper';
import { PrivacyController } from './privacy.controller';
import { PrivacyNoticeController } from './privacy-notice.controller';
import { PrivacyExporter } from './privacy.exporter';
import { PrivacyRepository } from './privacy.repository';
import { PrivacyService } from './privacy.service';

/**
 * The resident's rights under PIPL (Arts. 45, 47): download one's data (JSON and xlsx), delete
 * one's account; and the retention job that erases personal information of closed wishes and
 * ended registrations. (A registrant's withdrawal is the members module's.)
 */
@Module({
  imports: [WishesModule, MembersModule, NotificationsModule, ReportsModule],
  controllers: [PrivacyController, PrivacyNoticeController],
  providers: [PrivacyService, PrivacyRepository, PrivacyExporter, RetentionSweeper],
  exports: [RetentionSweeper],
})
export class PrivacyModule {}
