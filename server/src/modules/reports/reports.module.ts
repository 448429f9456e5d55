import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { WishesModule } from '../wishes/wishes.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Reports (举报) and complaints (投诉与建议), and the desk that answers them. */
@Module({ imports: [WishesModule, NotificationsModule, UsersModule], controllers: [ReportsController], providers: [ReportsRepository, ReportsService], exports: [ReportsService] })
export class ReportsModule {}
