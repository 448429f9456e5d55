import { Module } from '@nestjs/common';
import { WishesModule } from '../wishes/wishes.module';
import { MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';

@Module({ imports: [WishesModule], controllers: [MembersController], providers: [MembersService, MembersRepository], exports: [MembersService] })
export class MembersModule {}
