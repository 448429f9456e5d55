import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberRegistrationView } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { IdPipe } from '../../common/http/validation';
import { Sees } from '../../access/sees.guard';
import { DeactivateMemberDto, MemberDeactivationDto, MemberRegistrationDto, MemberRegistrationViewDto, RefuseRegistrationDto, RegistrationQueryDto } from './members.dto';
import { MembersService, type MemberDeactivation, type MemberWithdrawal } from './members.service';
import { Limit } from '../../common/http/rate-limits';

@ApiTags('members')
@ApiBearerAuth()
@Controller('members/registrations')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  /** Register as an in-service member at a community (双报到). */
  @Post()
  @Limit('registration')
  @ApiCreatedResponse({ type: MemberRegistrationViewDto })
  register(@CurrentActor() actor: Actor, @Body() dto: MemberRegistrationDto): Promise<MemberRegistrationView> {
    return this.members.register(actor, dto);
  }

  @Get('mine')
  @ApiOkResponse({ type: [MemberRegistrationViewDto] })
  mine(@CurrentActor() actor: Actor): Promise<MemberRegistrationView[]> {
    return this.members.mine(actor);
  }

  /** A community's registrations, for its staff. */
  @Get()
  @ApiOkResponse({ type: [MemberRegistrationViewDto] })
  list(@CurrentActor() actor: Actor, @Query() q: RegistrationQueryDto): Promise<MemberRegistrationView[]> {
    return this.members.forCommunity(actor, q.communityId, q.status);
  }

  @Post(':id/verify')
  @Sees(MembersService)
  @HttpCode(200)
  @ApiOkResponse({ type: MemberRegistrationViewDto })
  verify(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<MemberRegistrationView> {
    return this.members.verify(actor, id);
  }

  /** Deactivate a verified member: no more claims here; wishes they hold go back to the pool. */
  @Post(':id/deactivate')
  @Sees(MembersService)
  @HttpCode(200)
  @ApiOkResponse({ type: MemberDeactivationDto })
  deactivate(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: DeactivateMemberDto): Promise<MemberDeactivation> {
    return this.members.deactivate(actor, id, dto.reason);
  }

  /** 撤回报到: the registrant ends their own registration (pending or verified); name, phone and work unit are erased, held claims go back to the pool. */
  @Post(':id/withdraw')
  @Sees(MembersService)
  @HttpCode(200)
  @ApiOperation({ summary: 'The registrant withdraws their own registration (pending or verified): status withdrawn, name, phone and work unit erased, member grant ended, claims held as a member released' })
  @ApiOkResponse({ type: MemberDeactivationDto })
  withdraw(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<MemberWithdrawal> {
    return this.members.withdraw(actor, id);
  }

  @Post(':id/refuse')
  @Sees(MembersService)
  @HttpCode(200)
  @ApiOkResponse({ type: MemberRegistrationViewDto })
  refuse(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RefuseRegistrationDto): Promise<MemberRegistrationView> {
    return this.members.refuse(actor, id, dto.reason);
  }
}
