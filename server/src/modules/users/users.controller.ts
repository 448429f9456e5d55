import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { MeResponse } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { ConsentDto, MeDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: MeDto })
  me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    return this.users.me(actor.userId);
  }

  /** Records consent to the privacy notice (version and time). */
  @Post('consent')
  @HttpCode(200)
  @ApiOkResponse({ type: MeDto })
  consent(@CurrentActor() actor: Actor, @Body() body: ConsentDto): Promise<MeResponse> {
    return this.users.consent(actor, body.version);
  }
}
