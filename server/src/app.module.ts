import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CoreModule, type CoreDeps } from './core.module';
import { AuthGuard } from './common/auth/auth.guard';
import { ErrorFilter } from './common/filters/error.filter';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { MembersModule } from './modules/members/members.module';
import { OrganisationsModule } from './modules/organisations/organisations.module';
import { PhotosModule } from './modules/photos/photos.module';
import { UsersModule } from './modules/users/users.module';
import { WishesModule } from './modules/wishes/wishes.module';
import { DemoModule } from './modules/demo/demo.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { DispatchModule } from './modules/dispatch/dispatch.module';
import { LedgerModule } from './modules/ledger/ledger.module';
import { FundsModule } from './modules/funds/funds.module';
import { AccessModule } from './access/access.module';
import { AccessLogModule } from './modules/access-log/access-log.module';
import { PrivacyModule } from './modules/privacy/privacy.module';
import { ReportsModule } from './modules/reports/reports.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';

@Module({})
export class AppModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(deps), IdempotencyModule, AccessModule, AccessLogModule, HealthModule, DispatchModule, AuthModule, UsersModule, OrganisationsModule, MembersModule, PhotosModule, WishesModule, FundsModule, NotificationsModule, LedgerModule, PrivacyModule, ReportsModule, DemoModule],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
