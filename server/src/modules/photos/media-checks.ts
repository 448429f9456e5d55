// WeChat's asynchronous media check (mediaCheckAsync v2) of every uploaded photo (issue 14).
//
// An upload is stored `pending` and sent to WeChat right after the answer (submitSoon): the
// request names a signed URL of the photo on PUBLIC_BASE_URL, which WeChat fetches, and
// WeChat answers a trace_id. The verdict arrives later on the message-push endpoint as a
// `wxa_media_check` event (WechatPush hands it to onResult):
//   pass   → passed: shown to whoever sees the wish's photos;
//   review → review: shown, marked for the community's staff (as text WeChat asks a person
//            to look at is accepted and marked);
//   risky  → failed: hidden from everyone (kept for the record), refused if someone tries to
//            use it in a wish, and the uploader gets an inbox message.
// A push for a trace id we do not know is logged and ignored; a repeat changes nothing.
//
// While pending, a photo is shown only to its uploader and the staff of the wish's community
// (PhotosService.viewsForWishes).
//
// Submissions that could not be sent (network, token, WeChat busy) are retried by a job
// (MEDIA_CHECK_INTERVAL_MS) with a growing pause. A submission without a result after
// MEDIA_CHECK_RESUBMIT_MINUTES is sent again (a new trace id). A photo with no result
// MEDIA_CHECK_GIVE_UP_HOURS after its upload is given up on: it becomes `unchecked` and is
// shown, marked for staff, as text is when WeChat cannot check it; a verdict that arrives
// after that still settles it (a late `risky` hides it then).
//
// When the check is off (WeChat, PUBLIC_BASE_URL or WECHAT_PUSH_TOKEN not configured: demo,
// development), photos are stored `unchecked` and shown, and nothing is sent.
import { AUDIO_MIMES } from './audio-type';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../common/clock';
import { IntervalJob } from '../../common/jobs/interval-job';
import { JobLeases } from '../../common/jobs/job-lease';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { Database } from '../../database/database';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { UsersRepository } from '../users/users.repository';
import { WechatAccessToken } from '../wechat/wechat-access-token';
import { WechatClient } from '../wechat/wechat.client';
import { WechatPush, type WechatPushMessage } from '../wechat/wechat-push.service';
import type { Photo } from './photo.entity';
import { PhotoUrls } from './photo-urls';
import { PhotosRepository } from './photos.repository';

/** mediaCheckAsync's scene: 3 论坛 (a post others read), as for a wish's text. */
const MEDIA_SCENE = 3;
/** Photos one job run looks at. */
const BATCH = 50;
/** Pause before retrying a submission that failed: 1, 2, 4 ... minutes, at most 30. */
export function retryPauseMs(attempts: number): number {
  return Math.min(30, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

export const PHOTO_REJECTED_TITLE = '照片未通过内容安全检测';

@Injectable()
export class MediaChecks implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log: Logger;
  private readonly job: IntervalJob;
  /** Submissions started by uploads and not finished yet (tests and shutdown wait for them). */
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly photos: PhotosRepository,
    private readonly urls: PhotoUrls,
    private readonly users: UsersRepository,
    private readonly inbox: NotificationsRepository,
    private readonly wechat: WechatClient,
    private readonly token: WechatAccessToken,
    private readonly push: WechatPush,
    @Inject(ROOT_LOGGER) logger: Logger,
    leases: JobLeases,
  ) {
    this.log = logger.child({ module: 'media-check' });
    this.job = new IntervalJob('media check', config.wechat.mediaCheck.intervalMs, () => this.runOnce(), this.log, leases);
  }

  get enabled(): boolean {
    return this.config.wechat.mediaCheck.enabled;
  }

  onModuleInit(): void {
    this.push.on('wxa_media_check', (msg) => this.onResult(msg));
  }

  onApplicationBootstrap(): void {
    if (!this.enabled && this.config.wechat.appId !== null) {
      const missing = [this.config.publicBaseUrl === null ? 'PUBLIC_BASE_URL' : null, this.config.wechat.pushToken === null ? 'WECHAT_PUSH_TOKEN' : null].filter(Boolean);
      this.log.warn({ missing }, "WeChat is configured but photos are not content-checked (set PUBLIC_BASE_URL and WECHAT_PUSH_TOKEN); uploads are shown unchecked");
    }
    if (this.enabled && this.config.wechat.mediaCheck.jobEnabled) this.job.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.job.stop();
    await this.settled();
  }

  /** The check columns of a new upload. */
  initialState(now: Date): Pick<Photo, 'checkState' | 'checkTraceId' | 'checkLabel' | 'checkAttempts' | 'checkNextAt' | 'checkSubmittedAt' | 'checkedAt'> {
    return { checkState: this.enabled ? 'pending' : 'unchecked', checkTraceId: null, checkLabel: null, checkAttempts: 0, checkNextAt: this.enabled ? now : null, checkSubmittedAt: null, checkedAt: null };
  }

  /** Sends a new upload to WeChat in the background; a failure is left to the job. */
  submitSoon(photoId: string): void {
    if (!this.enabled) return;
    const p = this.photos
      .findById(photoId)
      .then(async (photo) => {
        if (photo && photo.checkState === 'pending') await this.submit(photo);
      })
      .catch((e: unknown) => this.log.warn({ photoId, err: e instanceof Error ? e.message : String(e) }, 'media check submission failed; the job retries'))
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  /** Waits for the background submissions started so far. */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** One run of the job: gives up on photos past MEDIA_CHECK_GIVE_UP_HOURS, (re)submits the due ones. */
  async runOnce(): Promise<{ submitted: number; failed: number; gaveUp: number }> {
    const out = { submitted: 0, failed: 0, gaveUp: 0 };
    if (!this.enabled) return out;
    const now = this.clock.now();
    const giveUpBefore = now.getTime() - this.config.wechat.mediaCheck.giveUpHours * 3600_000;
    for (const photo of await this.photos.dueChecks(now, BATCH)) {
      if (photo.createdAt.getTime() < giveUpBefore) {
        if (await this.photos.giveUpCheck(photo.id)) {
          out.gaveUp++;
          this.log.warn({ photoId: photo.id, attempts: photo.checkAttempts }, 'no media check result in time; the photo is shown marked unchecked');
        }
        continue;
      }
      try {
        if (await this.submit(photo)) out.submitted++;
      } catch (e) {
        out.failed++;
        this.log.warn({ photoId: photo.id, err: e instanceof Error ? e.message : String(e) }, 'media check submission failed; retried later');
      }
    }
    return out;
  }

  /**
   * One submission: takes the photo (guarded, so no two runs send it at once), asks WeChat,
   * keeps the trace id. Throws when WeChat could not be asked; the photo stays pending and
   * is due again after retryPauseMs.
   */
  private async submit(photo: Photo): Promise<boolean> {
    const now = this.clock.now();
    if (!(await this.photos.takeCheck(photo.id, photo.checkAttempts, new Date(now.getTime() + retryPauseMs(photo.checkAttempts + 1))))) return false;
    const openid = await this.users.openidOf(photo.ownerId);
    if (!openid) {
      // The uploader's account is gone: nobody to ask for; the job gives up on it in time.
      this.log.info({ photoId: photo.id }, 'media check skipped: the uploader has no openid');
      return false;
    }
    const mediaUrl = `${this.config.publicBaseUrl}${this.urls.signedUrl(photo.id)}`;
    // A voice note is checked as audio (media_type 1), a photo as an image (2).
    const mediaType = (AUDIO_MIMES as readonly string[]).includes(photo.mime) ? 1 : 2;
    const { traceId } = await this.token.call((t) => this.wechat.mediaCheckAsync(t, { mediaUrl, mediaType, openid, scene: MEDIA_SCENE }));
    const at = this.clock.now();
    await this.photos.recordSubmission(photo.id, traceId, at, new Date(at.getTime() + this.config.wechat.mediaCheck.resubmitAfterMinutes * 60_000));
    this.log.debug({ photoId: photo.id, traceId }, 'media check submitted');
    return true;
  }

  /** A `wxa_media_check` push: settles the photo its trace id names, once. */
  async onResult(msg: WechatPushMessage): Promise<void> {
    const traceId = typeof msg.trace_id === 'string' ? msg.trace_id : null;
    const result = (msg.result ?? {}) as { suggest?: unknown; label?: unknown };
    const suggest = result.suggest;
    const label = typeof result.label === 'number' && Number.isInteger(result.label) ? result.label : null;
    if (!traceId) {
      this.log.warn('wxa_media_check push without a trace_id, ignored');
      return;
    }
    if (Number(msg.errcode ?? 0) !== 0 || (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky')) {
      // WeChat could not check it (e.g. the URL did not load): left pending, sent again when due.
      this.log.warn({ traceId, errcode: msg.errcode }, 'wxa_media_check push without a verdict; the photo stays pending');
      return;
    }
    const to = suggest === 'pass' ? 'passed' : suggest === 'review' ? 'review' : 'failed';
    const now = this.clock.now();
    const done = await this.db.tx(async (m) => {
      const photo = await this.photos.findByTrace(traceId, m);
      if (!photo) return 'unknown' as const;
      if (!(await this.photos.settleCheck(m, photo.id, to, label === 100 ? null : label, now))) return 'repeat' as const;
      if (to === 'failed') {
        await this.inbox.insertDirectMessage(m, {
          userId: photo.ownerId,
          wishId: photo.wishId,
          kind: 'photo_rejected',
          title: PHOTO_REJECTED_TITLE,
          body: photo.wishId
            ? '您上传的一张照片未通过微信内容安全检测，已不再向他人展示。如需补充照片，请重新上传合适的照片。'
            : '您上传的一张照片未通过微信内容安全检测，不能用于心愿。请换一张照片。',
          createdAt: now,
        });
      }
      return 'settled' as const;
    });
    if (done === 'unknown') this.log.info({ traceId }, 'wxa_media_check for an unknown trace id, ignored');
    else if (done === 'repeat') this.log.debug({ traceId }, 'wxa_media_check repeated, nothing to change');
    else this.log.info({ traceId, result: to, label }, 'media check settled');
  }
}
