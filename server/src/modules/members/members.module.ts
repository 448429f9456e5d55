import { Module } from '@nestjs/common';
import { WishesModule } from '../wishes/wishes.module';
import { MemberRecordsController } from './member-records.controller';
import { MemberRecordsService } from './member-records.service';
import { MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';

@Module({ imports: [WishesModule], controllers: [MembersController, MemberRecordsController], providers: [MembersService, MembersRepository, MemberRecordsService], exports: [MembersService] })
export class MembersModule {}
