import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { LIMITS, VOICE_NOTE_MAX_BYTES, VOICE_NOTE_MAX_SECONDS, type PhotoView, type VoiceNoteView } from '@xinyuan/shared';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../common/clock';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { Database } from '../../database/database';
import { UsersRepository } from '../users/users.repository';
import { Photo, type PhotoPurpose } from './photo.entity';
import { PhotoImages } from './photo-images';
import { PHOTO_STORAGE, type PhotoStorage } from './photo-storage';
import { PhotosException, UploadQuotaExceeded } from './photos.exception';
import { PhotosRepository } from './photos.repository';
import { PhotoUrls } from './photo-urls';
import { MediaChecks } from './media-checks';
import { AUDIO_EXTENSIONS, AUDIO_MIMES, detectAudio } from './audio-type';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EXP = /^\d{1,12}$/;
const SIG = /^[0-9a-f]{64}$/;

/** The quota of unattached uploads counts the last day. */
const QUOTA_WINDOW_MS = 24 * 3600 * 1000;

export interface PhotoContent {
  data: Buffer;
  mime: string;
  /** Seconds until the URL that asked for it expires. */
  maxAgeSeconds: number;
}

/** Who reads photos: their user id, and whether they are staff of a wish's community. */
export interface PhotoReader {
  userId: number | null;
  staff: (wishId: number) => boolean;
}
const NO_READER: PhotoReader = { userId: null, staff: () => false };

export interface WishPhotoViews {
  wish: PhotoView[];
  proof: PhotoView[];
  /** At most one: the wish's voice note. */
  voice: VoiceNoteView[];
}

/** What rows an id list may name: images for photoIds, audio for a voice note. */
export type UploadKind = 'image' | 'audio';
const isAudio = (p: Pick<Photo, 'mime'>) => (AUDIO_MIMES as readonly string[]).includes(p.mime);

/**
 * A voice note's length as read from its frames may run a little past the recorder's stop at
 * VOICE_NOTE_MAX_SECONDS (the last frame, the encoder's padding): that much is let through.
 */
export const VOICE_NOTE_SLACK_MS = 1000;

@Injectable()
export class PhotosService {
  constructor(
    private readonly photos: PhotosRepository,
    @Inject(PHOTO_STORAGE) private readonly storage: PhotoStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly images: PhotoImages,
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly urls: PhotoUrls,
    private readonly checks: MediaChecks,
  ) {
  }

  /**
   * Stores an uploaded photo for its owner: decoded and written again as a clean
   * JPEG (PhotoImages), within the owner's daily quota of unattached uploads.
   * The file is written before the row, and removed again if the row cannot be
   * written, so a failure stores nothing.
   */
  async upload(ownerId: number, data: Buffer): Promise<PhotoView> {
    if (data.length === 0) throw new PhotosException('PHOTO_MISSING');
    if (data.length > this.config.uploadMaxBytes) throw new PhotosException('PHOTO_TOO_LARGE');
    // Checked before the expensive decode, and again under the owner's lock below.
    await this.checkQuota(ownerId);
    const image = await this.images.normalize(data);
    return this.view(await this.store(ownerId, image.data, image.mime, 'jpg', null));
  }

  /**
   * Stores a voice note (issue 15): MP3, AAC or M4A by its bytes (else PHOTO_TYPE_UNSUPPORTED),
   * at most VOICE_NOTE_MAX_BYTES (PHOTO_TOO_LARGE) and VOICE_NOTE_MAX_SECONDS long as read from
   * its frames (VOICE_NOTE_TOO_LONG): no length the client states is believed. Kept as it came
   * (there is no metadata to strip from these frames worth re-encoding for), in the same
   * quota, storage, media check and sweep as photos.
   */
  async uploadVoice(ownerId: number, data: Buffer): Promise<VoiceNoteView> {
    if (data.length === 0) throw new PhotosException('PHOTO_MISSING');
    if (data.length > Math.min(VOICE_NOTE_MAX_BYTES, this.config.uploadMaxBytes)) throw new PhotosException('PHOTO_TOO_LARGE', '语音文件太大，请重新录制');
    const audio = detectAudio(data);
    if (!audio) throw new PhotosException('PHOTO_TYPE_UNSUPPORTED', '只支持微信录制的语音（mp3、aac）', ['not an MP3, AAC (ADTS) or M4A recording']);
    if (audio.durationMs > VOICE_NOTE_MAX_SECONDS * 1000 + VOICE_NOTE_SLACK_MS) throw new PhotosException('VOICE_NOTE_TOO_LONG', undefined, [`at most ${VOICE_NOTE_MAX_SECONDS} s; this one is ${Math.round(audio.durationMs / 1000)} s`]);
    await this.checkQuota(ownerId);
    return this.voiceView(await this.store(ownerId, data, audio.mime, AUDIO_EXTENSIONS[audio.mime], Math.min(audio.durationMs, VOICE_NOTE_MAX_SECONDS * 1000)));
  }

  /** Writes the file, then the row under the owner's lock and quota; a failure removes the file again. */
  private async store(ownerId: number, data: Buffer, mime: string, ext: string, durationMs: number | null): Promise<Photo> {
    const now = this.clock.now();
    const id = randomUUID();
    const month = now.toISOString().slice(0, 7).replace('-', '/');
    const photo = Object.assign(new Photo(), {
      id,
      ownerId,
      mime,
      size: data.length,
      storageKey: `${month}/${id}.${ext}`,
      wishId: null,
      purpose: null,
      createdAt: now,
      durationMs,
      // Waits for WeChat's media check when it runs (MediaChecks); shown at once when it does not.
      ...this.checks.initialState(now),
    });
    await this.storage.put(photo.storageKey, data);
    try {
      await this.db.tx(async (m) => {
        // One owner's uploads queue here, so parallel requests cannot all pass the quota.
        await this.users.lockForUpdate(m, ownerId);
        await this.checkQuota(ownerId, m);
        await this.photos.insert(photo, m);
      });
    } catch (e) {
      await this.storage.remove(photo.storageKey).catch((err: unknown) => this.logger.error({ err, key: photo.storageKey }, 'could not remove an orphaned photo file'));
      throw e;
    }
    // Sent to WeChat after the answer; the job retries what could not be sent.
    this.checks.submitSoon(photo.id);
    return photo;
  }

  /**
   * RATE_LIMITED when the owner has config.limits.unattachedUploadsPerDay photos
   * made in the last 24 hours and not used in a wish. Retry-After: when the
   * oldest of them leaves the window (using one in a wish frees a slot sooner).
   */
  private async checkQuota(ownerId: number, m?: EntityManager): Promise<void> {
    const quota = this.config.limits.unattachedUploadsPerDay;
    const now = this.clock.now();
    const { count, oldest } = await this.photos.unattachedSince(ownerId, new Date(now.getTime() - QUOTA_WINDOW_MS), m);
    if (count < quota) return;
    const freeAt = (oldest ?? now).getTime() + QUOTA_WINDOW_MS;
    throw new UploadQuotaExceeded(Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)), quota);
  }

  /** The bytes behind a signed URL; any bad, expired or unknown link is NOT_FOUND, saying nothing more. */
  async content(id: unknown, exp: unknown, sig: unknown): Promise<PhotoContent> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    if (typeof id !== 'string' || typeof exp !== 'string' || typeof sig !== 'string') throw new PhotosException('NOT_FOUND');
    if (!UUID.test(id) || !EXP.test(exp) || !SIG.test(sig)) throw new PhotosException('NOT_FOUND');
    const expires = Number(exp);
    if (expires < nowSeconds) throw new PhotosException('NOT_FOUND');
    if (!this.urls.verify(id, expires, sig)) throw new PhotosException('NOT_FOUND');

    const photo = await this.photos.findById(id);
    // A photo that failed WeChat's check is kept for the record and served to no one.
    if (!photo || photo.checkState === 'failed') throw new PhotosException('NOT_FOUND');
    const data = await this.storage.get(photo.storageKey);
    if (!data) {
      this.logger.error({ photoId: id, key: photo.storageKey }, 'photo file missing from storage');
      throw new PhotosException('NOT_FOUND');
    }
    return { data, mime: photo.mime, maxAgeSeconds: expires - nowSeconds };
  }

  /** A relative URL that serves the photo without a token until it expires. */
  signedUrl(id: string): string {
    return this.urls.signedUrl(id);
  }

  /**
   * Gives photos to a wish (purpose 'wish') or to its proof of completion ('proof'),
   * inside the caller's transaction. Every id must be an unused photo of ownerId.
   * An id listed twice is VALIDATION_FAILED. No ids: nothing to do.
   * Throws on any failure, so the caller's transaction rolls back.
   */
  async attach(m: EntityManager, ownerId: number, ids: string[], wishId: number, purpose: PhotoPurpose): Promise<void> {
    if (ids.length === 0) return;
    await this.check(ownerId, ids, purpose === 'voice' ? 'audio' : 'image', m);
    // The check above read committed rows; this guarded write is what makes a photo
    // go to one wish only when two requests race for it.
    const changed = await this.photos.attach(m, ownerId, ids, wishId, purpose);
    if (changed !== ids.length) throw new PhotosException('PHOTO_ALREADY_USED');
  }

  /** The checks of attach, read-only, so a request can fail before it opens a transaction. */
  async assertUsable(ownerId: number, ids: string[], kind: UploadKind = 'image'): Promise<void> {
    if (ids.length === 0) return;
    await this.check(ownerId, ids, kind);
  }

  /**
   * Photos of many wishes with signed URLs, in upload order, in one query, as one reader
   * may see them (WeChat's media check, issue 14):
   *   - failed: nobody (kept for the record only);
   *   - pending: only its uploader and the wish's community staff (`staff(wishId)`), so a
   *     reviewer judging the wish sees what was sent, marked as waiting;
   *   - passed, review, unchecked: whoever sees the wish's photos.
   * The uploader and staff also read each photo's checkState; nobody else does.
   * Every requested wish id has an entry (empty lists when it has no photos).
   */
  async viewsForWishes(wishIds: number[], reader: PhotoReader = NO_READER): Promise<Map<number, WishPhotoViews>> {
    const out = new Map<number, WishPhotoViews>();
    for (const id of wishIds) out.set(id, { wish: [], proof: [], voice: [] });
    const rows = await this.photos.listForWishes([...out.keys()]);
    for (const p of rows) {
      const wishId = Number(p.wishId);
      const entry = out.get(wishId);
      if (!entry || p.checkState === 'failed') continue;
      const marked = p.ownerId === reader.userId || reader.staff(wishId);
      if (p.checkState === 'pending' && !marked) continue;
      if (p.purpose === 'voice') entry.voice.push(marked ? { ...this.voiceView(p), checkState: p.checkState } : this.voiceView(p));
      else (p.purpose === 'proof' ? entry.proof : entry.wish).push(marked ? { ...this.view(p), checkState: p.checkState } : this.view(p));
    }
    return out;
  }

  private async check(ownerId: number, ids: string[], kind: UploadKind, m?: EntityManager): Promise<void> {
    if (kind === 'audio' && ids.length > 1) throw new PhotosException('VALIDATION_FAILED', undefined, ['one voice note per wish']);
    if (ids.length > LIMITS.photosPerWish) throw new PhotosException('TOO_MANY_PHOTOS', undefined, [`at most ${LIMITS.photosPerWish} photos`]);
    if (new Set(ids).size !== ids.length) throw new PhotosException('VALIDATION_FAILED', undefined, ['photoIds must not list a photo twice']);
    const rows = await this.photos.findByIds(ids, m);
    // Matched in code, not only by the database: MariaDB's collation compares ids without case.
    const byId = new Map(rows.map((p) => [p.id, p]));
    // A photo given as a voice note, or a recording as a photo, is not one of the caller's uploads of that kind.
    const missing = ids.filter((id) => byId.get(id)?.ownerId !== ownerId || isAudio(byId.get(id)!) !== (kind === 'audio'));
    if (missing.length > 0) throw new PhotosException('PHOTO_NOT_FOUND', undefined, missing.map((id) => `photo ${String(id).slice(0, 36)} not found`));
    const rejected = ids.filter((id) => byId.get(id)!.checkState === 'failed');
    if (rejected.length > 0) throw new PhotosException('PHOTO_REJECTED', undefined, rejected.map((id) => `photo ${id} did not pass WeChat's content check`));
    const used = ids.filter((id) => byId.get(id)!.wishId !== null);
    if (used.length > 0) throw new PhotosException('PHOTO_ALREADY_USED', undefined, used.map((id) => `photo ${id} is already used`));
  }

  private view(p: Photo): PhotoView {
    return { id: p.id, mime: p.mime, size: p.size, url: this.signedUrl(p.id) };
  }

  private voiceView(p: Photo): VoiceNoteView {
    return { ...this.view(p), durationMs: p.durationMs ?? 0 };
  }

}
