import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../common/clock';

/** A signed content URL is good for at least this long. */
export const PHOTO_URL_TTL_SECONDS = 3600;
// Expiry is rounded up to this step, so a photo's URL stays the same for a
// while and the mini-program's image cache can hit.
const PHOTO_URL_EXP_STEP_SECONDS = 600;

/**
 * HKDF inputs of the URL signing key. Its own key, derived from the JWT secret,
 * so nothing made with one key is ever valid for the other.
 */
const URL_KEY_SALT = 'xinyuan/photos/v1';
const URL_KEY_INFO = 'xinyuan photo urls';

/** The key that signs photo URLs, derived from the JWT secret. */
export function photoUrlKey(jwtSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', jwtSecret, URL_KEY_SALT, URL_KEY_INFO, 32));
}

/** Signs and checks the token-free URLs photos are served at (the signature is the permission). */
@Injectable()
export class PhotoUrls {
  private readonly key: Buffer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.key = photoUrlKey(config.jwt.secret);
  }

  /** A relative URL that serves the photo without a token until it expires. */
  signedUrl(id: string): string {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const exp = Math.ceil((nowSeconds + PHOTO_URL_TTL_SECONDS) / PHOTO_URL_EXP_STEP_SECONDS) * PHOTO_URL_EXP_STEP_SECONDS;
    return `/api/photos/${id}/content?exp=${exp}&sig=${this.mac(id, exp).toString('hex')}`;
  }

  /** True when sig (64 hex digits, already checked) signs id and exp. */
  verify(id: string, exp: number, sig: string): boolean {
    return timingSafeEqual(Buffer.from(sig, 'hex'), this.mac(id, exp));
  }

  private mac(id: string, exp: number): Buffer {
    return createHmac('sha256', this.key).update(`${id}.${exp}`).digest();
  }
}
