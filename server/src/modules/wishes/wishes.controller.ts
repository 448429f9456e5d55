import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AssigneeView, DeskCounts, DeskWishSummary, Page, WishDetail, WishSummary } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { IdPipe } from '../../common/http/validation';
import { Sees } from '../../access/sees.guard';
import { WishLifecycle } from './wish-lifecycle.service';
import { AssigneeViewDto, AssignWishDto, DeskCountsDto, DeskListQueryDto, DeskPageDto, MarkUrgentDto, CancelWishDto, CompleteWishDto, ConfirmWishDto, MyWishesQueryDto, ReasonDto, RejectWishDto, SubmitWishDto, WallQueryDto, WishDetailDto, WishPageDto } from './wishes.dto';
import { WishesService } from './wishes.service';
import { Limit } from '../../common/http/rate-limits';

@ApiTags('wishes')
@ApiBearerAuth()
@Controller('wishes')
export class WishesController {
  constructor(private readonly wishes: WishesService) {}

  @Post()
  @Limit('submit', 'RATE_LIMITED: over the per-minute limit (Retry-After: seconds); QUOTA_EXCEEDED: too many of your wishes are waiting for review or a claim')
  @ApiOperation({ summary: 'Submit a wish (a resident, or a grid worker for a named beneficiary)' })
  @ApiCreatedResponse({ type: WishDetailDto })
  submit(@CurrentActor() actor: Actor, @Body() dto: SubmitWishDto): Promise<WishDetail> {
    return this.wishes.submit(actor, dto);
  }

  @Get('mine')
  @ApiOperation({ summary: 'Wishes I submitted (residents, grid workers)' })
  @ApiOkResponse({ type: WishPageDto })
  mine(@CurrentActor() actor: Actor, @Query() q: MyWishesQueryDto): Promise<Page<WishSummary>> {
    return this.wishes.mine(actor, 'submitter', q);
  }

  @Get('claimed')
  @ApiOperation({ summary: 'Wishes I hold as claimant' })
  @ApiOkResponse({ type: WishPageDto })
  claimed(@CurrentActor() actor: Actor, @Query() q: MyWishesQueryDto): Promise<Page<WishSummary>> {
    return this.wishes.mine(actor, 'claimant', q);
  }

  @Get('review')
  @ApiOperation({ summary: 'Community staff: new wishes waiting for review, oldest first' })
  @ApiOkResponse({ type: WishPageDto })
  review(@CurrentActor() actor: Actor, @Query() q: WallQueryDto): Promise<Page<WishSummary>> {
    return this.wishes.reviewQueue(actor, q);
  }

  @Get('supervised')
  @ApiOperation({ summary: 'The red list (督办): wishes unclaimed through tier 4, for city/district departments and street desks' })
  @ApiOkResponse({ type: WishPageDto })
  supervised(@CurrentActor() actor: Actor, @Query() q: MyWishesQueryDto): Promise<Page<WishSummary>> {
    return this.wishes.supervised(actor, q);
  }

  @Get('desk/queue')
  @ApiOperation({ summary: "A paired unit's or the street's desk: open wishes waiting at its tier (3: communities paired today; 4: the street's), oldest first" })
  @ApiOkResponse({ type: DeskPageDto })
  deskQueue(@CurrentActor() actor: Actor, @Query() q: DeskListQueryDto): Promise<Page<DeskWishSummary>> {
    return this.wishes.deskQueue(actor, q);
  }

  @Get('desk/handled')
  @ApiOperation({ summary: "A paired unit's or the street's desk: the wishes its organisation claimed, newest first (state: one state)" })
  @ApiOkResponse({ type: DeskPageDto })
  deskHandled(@CurrentActor() actor: Actor, @Query() q: DeskListQueryDto): Promise<Page<DeskWishSummary>> {
    return this.wishes.deskHandled(actor, q);
  }

  @Get('desk/counts')
  @ApiOperation({ summary: 'The desks the actor holds (unit, street), with the counts of their home tiles; empty for everyone else' })
  @ApiOkResponse({ type: [DeskCountsDto] })
  deskCounts(@CurrentActor() actor: Actor): Promise<DeskCounts[]> {
    return this.wishes.deskCounts(actor);
  }

  @Get('wall')
  @ApiOperation({ summary: "The community's open wishes (masked; sensitive categories left out)" })
  @ApiOkResponse({ type: WishPageDto })
  wall(@CurrentActor() actor: Actor, @Query() q: WallQueryDto): Promise<Page<WishSummary>> {
    return this.wishes.wall(actor, q);
  }

  @Get(':id')
  @Sees(WishLifecycle)
  @ApiOkResponse({ type: WishDetailDto })
  detail(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<WishDetail> {
    return this.wishes.detail(actor, id);
  }

  @Get(':id/assignees')
  @Sees(WishLifecycle)
  @ApiOperation({ summary: "The active claimant: the people of the claim's organisation the work may be assigned to" })
  @ApiOkResponse({ type: [AssigneeViewDto] })
  assignees(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<AssigneeView[]> {
    return this.wishes.assignees(actor, id);
  }

  @Post(':id/approve')
  @Sees(WishLifecycle)
  @HttpCode(200)
  @ApiOkResponse({ type: WishDetailDto })
  approve(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<WishDetail> {
    return this.wishes.approve(actor, id);
  }

  @Post(':id/reject')
  @Sees(WishLifecycle)
  @HttpCode(200)
  @ApiOkResponse({ type: WishDetailDto })
  reject(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RejectWishDto): Promise<WishDetail> {
    return this.wishes.reject(actor, id, dto);
  }

  @Post(':id/claim')
  @Sees(WishLifecycle)
  @HttpCode(200)
  @ApiOkResponse({ type: WishDetailDto })
  claim(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<WishDetail> {
    return this.wishes.claim(actor, id);
  }

  @Post(':id/urgent')
  @Sees(WishLifecycle)
  @HttpCode(200)
  @ApiOperation({ summary: 'Staff: mark urgent — straight to tier 4, windows in clock hours' })
  @ApiOkResponse({ type: WishDetailDto })
  urgent(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: MarkUrgentDto): Promise<WishDetail> {
    return this.wishes.markUrgent(actor, id, dto.reason);
  }

  @Post(':id/assign')
  @Sees(WishLifecycle)
  @HttpCode(200)
  @ApiOperation({ summary: "The active claimant (committee, branch, unit, street desk): hand the work to one of the claim organisation's people" })
  @ApiOkResponse({ type: WishDetailDto })
  assign(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: AssignWishDto): Promise<WishDetail> {
    return this.wishes.assign(actor, id, dto.userId);
  }

  @Post(':id/release')
  @Sees(WishLifecycle)
  @HttpCode(200)
  @ApiOkResponse({ type: WishDetailDto })
  release(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: CancelWishDto): Promise<WishDetail> {
    return this.wishes.release(actor, id, dto.reason);
  }

  @Post(':id/complete')
  @Sees(WishLifecycle)
  @HttpCode(200)
  @ApiOkResponse({ type: WishDetailDto })
  complete(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: CompleteWishDto): Promise<WishDetail> {
    return this.wishes.complete(actor, id, dto);
  }

  @Post(':id/confirm')
  @Sees(WishLifecycle)
  @HttpCode(200)
  @ApiOkResponse({ type: WishDetailDto })
  confirm(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: ConfirmWishDto): Promise<WishDetail> {
    return this.wishes.confirm(actor, id, dto);
  }

  @Post(':id/dispute')
  @Sees(WishLifecycle)
  @HttpCode(200)
  @ApiOkResponse({ type: WishDetailDto })
  dispute(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: ReasonDto): Promise<WishDetail> {
    return this.wishes.dispute(actor, id, dto.reason);
  }

  @Post(':id/urge')
  @Sees(WishLifecycle)
  @HttpCode(200)
  @ApiOperation({ summary: '催办: the submitter, once per Beijing day after the current step’s expected time (409 URGE_TOO_EARLY / URGE_ALREADY_TODAY / URGE_NOT_APPLICABLE)' })
  @ApiOkResponse({ type: WishDetailDto })
  urge(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<WishDetail> {
    return this.wishes.urge(actor, id);
  }

  @Post(':id/cancel')
  @Sees(WishLifecycle)
  @HttpCode(200)
  @ApiOkResponse({ type: WishDetailDto })
  cancel(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: CancelWishDto): Promise<WishDetail> {
    return this.wishes.cancel(actor, id, dto);
  }
}
