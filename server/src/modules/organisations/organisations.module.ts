import { Global, Module } from '@nestjs/common';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsRepository } from './organisations.repository';
import { OrganisationsService } from './organisations.service';

@Global()
@Module({ controllers: [OrganisationsController], providers: [OrganisationsRepository, OrganisationsService], exports: [OrganisationsRepository] })
export class OrganisationsModule {}
