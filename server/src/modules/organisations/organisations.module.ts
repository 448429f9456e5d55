import { Global, Module } from '@nestjs/common';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsRepository } from './organisations.repository';

@Global()
@Module({ controllers: [OrganisationsController], providers: [OrganisationsRepository], exports: [OrganisationsRepository] })
export class OrganisationsModule {}
