import { ApiProperty } from '@nestjs/swagger';
import { Equals } from 'class-validator';
import { NOTICE_KINDS, type DeleteAccountRequest, type DeleteAccountResult, type NoticeKind, type MyDataExport, type PrivacyNoticeView, type SubscriptionCreditView } from '@xinyuan/shared';
import { AccessLogEntryDto } from '../../access-log/access-log.dto';
import { MemberRegistrationViewDto } from '../../members/members.dto';
import { MessageViewDto } from '../../notifications/notifications.dto';
import { ReportViewDto } from '../../reports/reports.dto';
import { RoleGrantDto } from '../../users/users.dto';
import { WishDetailDto } from '../../wishes/wishes.dto';

/** The person confirmed in the client; anything but `{"confirm": true}` is refused and changes nothing. */
export class DeleteAccountDto implements DeleteAccountRequest {
  @ApiProperty({ enum: [true], description: 'Must be true: the person confirmed the deletion' })
  @Equals(true, { message: 'confirm must be true' })
  confirm: true;
}

export class DeleteAccountResultDto implements DeleteAccountResult {
  @ApiProperty() deletedAt: string;
  @ApiProperty({ description: 'Unclaimed wishes withdrawn (cancelled by the resident; in no rate)' }) withdrawnWishes: number;
  @ApiProperty({ description: 'Claimed or awaiting-confirmation wishes that go on without contact details' }) continuingWishes: number;
  @ApiProperty({ description: 'Own wishes whose contact details and description were erased' }) erasedWishes: number;
  @ApiProperty() erasedPhotos: number;
  @ApiProperty() erasedMessages: number;
  @ApiProperty({ description: 'Reports and complaints the person filed whose text was erased' }) erasedReports: number;
  @ApiProperty() withdrawnRegistrations: number;
  @ApiProperty({ description: 'Wishes the person held as claimant, back in their tier pool' }) releasedClaims: number;
}

class MyProfileDto {
  @ApiProperty() id: number;
  @ApiProperty({ type: String, nullable: true }) nickname: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'In full: it is the caller’s own' }) phone: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: [RoleGrantDto] }) roles: RoleGrantDto[];
}
class MyConsentDto {
  @ApiProperty() noticeVersion: string;
  @ApiProperty() consentedAt: string;
}
class MySubscriptionCreditDto implements SubscriptionCreditView {
  @ApiProperty({ enum: NOTICE_KINDS }) kind: NoticeKind;
  @ApiProperty() templateId: string;
  @ApiProperty() credits: number;
}

export class MyDataExportDto implements MyDataExport {
  @ApiProperty() generatedAt: string;
  @ApiProperty({ type: MyProfileDto }) profile: MyProfileDto;
  @ApiProperty({ type: [MyConsentDto] }) consents: MyConsentDto[];
  @ApiProperty({ type: [WishDetailDto], description: 'Wishes the caller submitted (not those filed as community staff for a resident), in full' }) wishes: WishDetailDto[];
  @ApiProperty({ type: [MemberRegistrationViewDto] }) registrations: MemberRegistrationViewDto[];
  @ApiProperty({ type: [MessageViewDto] }) messages: MessageViewDto[];
  @ApiProperty({ type: [ReportViewDto], description: 'Reports and complaints the caller filed, with the replies' }) reports: ReportViewDto[];
  @ApiProperty({ type: [MySubscriptionCreditDto] }) subscriptions: MySubscriptionCreditDto[];
  @ApiProperty({ type: [AccessLogEntryDto] }) accessLog: AccessLogEntryDto[];
}

class PrivacyOperatorDto {
  @ApiProperty({ type: String, nullable: true, description: 'The personal-information handler (OPERATOR_NAME)' }) name: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'How to reach the handler for rights requests and complaints (OPERATOR_CONTACT)' }) contact: string | null;
}

class PrivacyRetentionDto {
  @ApiProperty({ description: 'Contact details and sensitive descriptions of a closed wish are erased this many days after it closed (RETENTION_DAYS)' }) closedWishDays: number;
  @ApiProperty({ description: 'Name, phone and work unit of an ended member registration are erased this many days after it ended' }) endedRegistrationDays: number;
  @ApiProperty({ description: 'Uploads never attached to a wish are deleted after this many hours (UPLOAD_ORPHAN_HOURS)' }) unattachedUploadHours: number;
}

export class PrivacyNoticeDto implements PrivacyNoticeView {
  @ApiProperty({ example: '2026-12-01' }) version: string;
  @ApiProperty({ type: PrivacyOperatorDto }) operator: PrivacyOperatorDto;
  @ApiProperty({ type: PrivacyRetentionDto }) retention: PrivacyRetentionDto;
}
