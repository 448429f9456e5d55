import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MessageView, Page, ReadAllResponse, SubscriptionsView, UnreadCountView } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { IdPipe } from '../../common/http/validation';
import { MessagePageDto, MessagesQueryDto, MessageViewDto, ReadAllDto, SubscribeReportDto, SubscriptionsDto, UnreadCountDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('me')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('messages')
  @ApiOperation({ summary: 'My inbox, newest first' })
  @ApiOkResponse({ type: MessagePageDto })
  list(@CurrentActor() actor: Actor, @Query() q: MessagesQueryDto): Promise<Page<MessageView>> {
    return this.notifications.list(actor, q);
  }

  @Get('messages/unread-count')
  @ApiOperation({ summary: 'How many of my messages are unread' })
  @ApiOkResponse({ type: UnreadCountDto })
  unreadCount(@CurrentActor() actor: Actor): Promise<UnreadCountView> {
    return this.notifications.unreadCount(actor);
  }

  @Post('messages/read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all my messages read' })
  @ApiOkResponse({ type: ReadAllDto })
  readAll(@CurrentActor() actor: Actor): Promise<ReadAllResponse> {
    return this.notifications.markAllRead(actor);
  }

  @Post('messages/:id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my messages read' })
  @ApiOkResponse({ type: MessageViewDto })
  read(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<MessageView> {
    return this.notifications.markRead(actor, id);
  }

  @Get('subscriptions')
  @ApiOperation({ summary: 'The subscribe-message templates to request, and my credits for each' })
  @ApiOkResponse({ type: SubscriptionsDto })
  subscriptions(@CurrentActor() actor: Actor): Promise<SubscriptionsView> {
    return this.notifications.subscriptions(actor);
  }

  @Post('subscriptions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report what wx.requestSubscribeMessage answered: one credit per accepted template' })
  @ApiOkResponse({ type: SubscriptionsDto })
  report(@CurrentActor() actor: Actor, @Body() body: SubscribeReportDto): Promise<SubscriptionsView> {
    return this.notifications.reportSubscriptions(actor, body);
  }
}
