import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CalendarDayView, CalendarStatus, NoticeParseResult, PolicyView, SaveNoticeResult, SetCalendarDayResponse } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { CalendarDayViewDto, CalendarQueryDto, CalendarStatusDto, NoticeParseResultDto, ParseNoticeDto, PolicyViewDto, SaveNoticeDto, SaveNoticeResultDto, SetCalendarDayDto, SetCalendarDayResponseDto, UpdatePolicyDto } from './dispatch.dto';
import { DispatchRules } from './dispatch-rules.service';

@ApiTags('dispatch')
@ApiBearerAuth()
@Controller('dispatch')
export class DispatchController {
  constructor(private readonly rules: DispatchRules) {}

  @Get('policy')
  @ApiOperation({ summary: 'Claim and fulfilment windows per community class and tier, in force now' })
  @ApiOkResponse({ type: PolicyViewDto })
  policy(): Promise<PolicyView> {
    return this.rules.policy();
  }

  @Put('policy')
  @ApiOperation({ summary: 'City admins: change windows from now on (running windows keep their ends)' })
  @ApiOkResponse({ type: PolicyViewDto })
  updatePolicy(@CurrentActor() actor: Actor, @Body() dto: UpdatePolicyDto): Promise<PolicyView> {
    return this.rules.updatePolicy(actor, dto.windows);
  }

  @Get('calendar')
  @ApiOperation({ summary: 'Days of a year that differ from a plain week (holidays, make-up working days, entries)' })
  @ApiOkResponse({ type: [CalendarDayViewDto] })
  calendar(@Query() q: CalendarQueryDto): Promise<CalendarDayView[]> {
    return this.rules.calendarYear(q.year);
  }

  @Get('calendar/status')
  @ApiOperation({ summary: "Whether next year's arrangement (调休) is known; from 1 November a warning while it is not" })
  @ApiOkResponse({ type: CalendarStatusDto })
  calendarStatus(): Promise<CalendarStatus> {
    return this.rules.calendarStatus();
  }

  @Post('calendar/notice/parse')
  @HttpCode(200)
  @ApiOperation({ summary: "City admins: read the State Council's yearly notice as pasted (holidays, make-up working days, lines not understood, warnings); saves nothing" })
  @ApiOkResponse({ type: NoticeParseResultDto })
  parseNotice(@CurrentActor() actor: Actor, @Body() dto: ParseNoticeDto): NoticeParseResult {
    return this.rules.parseNotice(actor, dto.text, dto.year);
  }

  @Post('calendar/notice')
  @HttpCode(200)
  @ApiOperation({ summary: "City admins: save a notice's reviewed days as calendar entries (source admin)" })
  @ApiOkResponse({ type: SaveNoticeResultDto })
  saveNotice(@CurrentActor() actor: Actor, @Body() dto: SaveNoticeDto): Promise<SaveNoticeResult> {
    return this.rules.saveNotice(actor, dto.year, dto.days);
  }

  @Put('calendar/:day')
  @ApiOperation({ summary: 'City admins: enter or correct a day (holiday or make-up working day); overrides the package and the law (a contradiction with the law is saved, with a warning)' })
  @ApiOkResponse({ type: SetCalendarDayResponseDto })
  setDay(@CurrentActor() actor: Actor, @Param('day') day: string, @Body() dto: SetCalendarDayDto): Promise<SetCalendarDayResponse> {
    return this.rules.setCalendarDay(actor, day, dto.kind, dto.note ?? null);
  }

  @Delete('calendar/:day')
  @ApiOperation({ summary: 'City admins: remove an entry (the package, or the law and the weekday rule, apply again)' })
  @ApiOkResponse({ type: CalendarDayViewDto })
  deleteDay(@CurrentActor() actor: Actor, @Param('day') day: string): Promise<CalendarDayView> {
    return this.rules.deleteCalendarDay(actor, day);
  }
}
