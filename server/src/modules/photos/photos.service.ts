import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { LIMITS, type PhotoView } from '@xinyuan/shared';
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
}

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

    const now = this.clock.now();
    const id = randomUUID();
    const month = now.toISOString().slice(0, 7).replace('-', '/');
    const photo = Object.assign(new Photo(), {
      id,
      ownerId,
      mime: image.mime,
      size: image.data.length,
      storageKey: `${month}/${id}.jpg`,
      wishId: null,
      purpose: null,
      createdAt: now,
      // Waits for WeChat's media check when it runs (MediaChecks); shown at once when it does not.
      ...this.checks.initialState(now),
    });
    await this.storage.put(photo.storageKey, image.data);
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
    return this.view(photo);
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
    await this.check(ownerId, ids, m);
    // The check above read committed rows; this guarded write is what makes a photo
    // go to one wish only when two requests race for it.
    const changed = await this.photos.attach(m, ownerId, ids, wishId, purpose);
    if (changed !== ids.length) throw new PhotosException('PHOTO_ALREADY_USED');
  }

  /** The checks of attach, read-only, so a request can fail before it opens a transaction. */
  async assertUsable(ownerId: number, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.check(ownerId, ids);
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
    for (const id of wishIds) out.set(id, { wish: [], proof: [] });
    const rows = await this.photos.listForWishes([...out.keys()]);
    for (const p of rows) {
      const wishId = Number(p.wishId);
      const entry = out.get(wishId);
      if (!entry || p.checkState === 'failed') continue;
      const marked = p.ownerId === reader.userId || reader.staff(wishId);
      if (p.checkState === 'pending' && !marked) continue;
      (p.purpose === 'proof' ? entry.proof : entry.wish).push(marked ? { ...this.view(p), checkState: p.checkState } : this.view(p));
    }
    return out;
  }

  private async check(ownerId: number, ids: string[], m?: EntityManager): Promise<void> {
    if (ids.length > LIMITS.photosPerWish) throw new PhotosException('TOO_MANY_PHOTOS', undefined, [`at most ${LIMITS.photosPerWish} photos`]);
    if (new Set(ids).size !== ids.length) throw new PhotosException('VALIDATION_FAILED', undefined, ['photoIds must not list a photo twice']);
    const rows = await this.photos.findByIds(ids, m);
    // Matched in code, not only by the database: MariaDB's collation compares ids without case.
    const byId = new Map(rows.map((p) => [p.id, p]));
    const missing = ids.filter((id) => byId.get(id)?.ownerId !== ownerId);
    if (missing.length > 0) throw new PhotosException('PHOTO_NOT_FOUND', undefined, missing.map((id) => `photo ${String(id).slice(0, 36)} not found`));
    const rejected = ids.filter((id) => byId.get(id)!.checkState === 'failed');
    if (rejected.length > 0) throw new PhotosException('PHOTO_REJECTED', undefined, rejected.map((id) => `photo ${id} did not pass WeChat's content check`));
    const used = ids.filter((id) => byId.get(id)!.wishId !== null);
    if (used.length > 0) throw new PhotosException('PHOTO_ALREADY_USED', undefined, used.map((id) => `photo ${id} is already used`));
  }

  private view(p: Photo): PhotoView {
    return { id: p.id, mime: p.mime, size: p.size, url: this.signedUrl(p.id) };
  }

}
