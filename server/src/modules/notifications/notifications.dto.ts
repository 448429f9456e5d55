import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsString, Max, MaxLength, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { IsOptional, QueryInt } from '../../common/http/validation';
import {
  NOTICE_KINDS,
  INBOX_KINDS,
  type InboxKind,
  SUBSCRIBE_RESULTS,
  type NoticeKind,
  type MessagesQuery,
  type MessageView,
  type Page,
  type ReadAllResponse,
  type SubscribeReportRequest,
  type SubscribeResult,
  type SubscriptionCreditView,
  type SubscriptionsView,
  type UnreadCountView,
} from '@xinyuan/shared';

// The kinds are @xinyuan/shared's NOTICE_KINDS, the one list the server's config and outbox use too
// (inbox-only lines with no subscribe template, report_reply and photo_rejected, are INBOX_KINDS).

export const MESSAGES_PAGE_DEFAULT = 20;
export const MESSAGES_PAGE_MAX = 50;
/** wx.requestSubscribeMessage takes at most 3 template ids a call; leave room, refuse floods. */
const MAX_RESULTS = 10;
const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class MessagesQueryDto implements MessagesQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: MESSAGES_PAGE_DEFAULT, maximum: MESSAGES_PAGE_MAX }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(MESSAGES_PAGE_MAX) limit?: number;
  @ApiPropertyOptional({ description: 'true: unread messages only' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value))
  @IsBoolean()
  unread?: boolean;
}

/** results: template id → one of SUBSCRIBE_RESULTS; an "errMsg" entry (wx's own) is let through and ignored. */
function IsSubscribeResults(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSubscribeResults',
      validator: {
        validate: (v: unknown) => {
          if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
          const entries = Object.entries(v as Record<string, unknown>).filter(([k]) => k !== 'errMsg');
          return entries.length >= 1 && entries.length <= MAX_RESULTS && entries.every(([k, r]) => TEMPLATE_ID.test(k) && (SUBSCRIBE_RESULTS as readonly unknown[]).includes(r));
        },
        defaultMessage: () => `results must map 1 to ${MAX_RESULTS} template ids to one of ${SUBSCRIBE_RESULTS.join(', ')}`,
      },
    },
    options,
  );
}

export class SubscribeReportDto implements SubscribeReportRequest {
  @ApiProperty({
    description: 'What wx.requestSubscribeMessage answered, per template id',
    type: 'object',
    additionalProperties: { type: 'string', enum: [...SUBSCRIBE_RESULTS] },
    example: { 'tmpl-escalated-0001': 'accept', 'tmpl-claimed-0002': 'reject' },
  })
  @IsObject()
  @IsSubscribeResults()
  results: Record<string, SubscribeResult>;
}

// ---- responses (for the OpenAPI document) ----
export class MessageViewDto implements MessageView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: INBOX_KINDS }) kind: InboxKind;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: Number, nullable: true }) wishId: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'the report or complaint a desk reply answers' }) reportId: number | null;
  @ApiProperty() read: boolean;
  @ApiProperty({ type: String, nullable: true }) readAt: string | null;
  @ApiProperty() createdAt: string;
}
export class MessagePageDto implements Page<MessageView> {
  @ApiProperty({ type: [MessageViewDto] }) items: MessageViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
export class UnreadCountDto implements UnreadCountView {
  @ApiProperty() unread: number;
}
export class ReadAllDto implements ReadAllResponse {
  @ApiProperty() marked: number;
}
class SubscriptionCreditDto implements SubscriptionCreditView {
  @ApiProperty({ enum: NOTICE_KINDS }) kind: NoticeKind;
  @ApiProperty() templateId: string;
  @ApiProperty() credits: number;
}
export class SubscriptionsDto implements SubscriptionsView {
  @ApiProperty({ type: [SubscriptionCreditDto] }) items: SubscriptionCreditDto[];
}
