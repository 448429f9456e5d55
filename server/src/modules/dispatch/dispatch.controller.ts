import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CalendarDayView, PolicyView } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { CalendarDayViewDto, CalendarQueryDto, PolicyViewDto, SetCalendarDayDto, UpdatePolicyDto } from './dispatch.dto';
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

  @Put('calendar/:day')
  @ApiOperation({ summary: 'City admins: enter or correct a day (holiday or make-up working day); overrides the package' })
  @ApiOkResponse({ type: CalendarDayViewDto })
  setDay(@CurrentActor() actor: Actor, @Param('day') day: string, @Body() dto: SetCalendarDayDto): Promise<CalendarDayView> {
    return this.rules.setCalendarDay(actor, day, dto.kind, dto.note ?? null);
  }

  @Delete('calendar/:day')
  @ApiOperation({ summary: 'City admins: remove an entry (the package or weekday rule applies again)' })
  @ApiOkResponse({ type: CalendarDayViewDto })
  deleteDay(@CurrentActor() actor: Actor, @Param('day') day: string): Promise<CalendarDayView> {
    return this.rules.deleteCalendarDay(actor, day);
  }
}
