import { AppException } from '../../common/errors/app.exception';

/** Every way the photos module refuses a request; the global filter maps each code to its status. */
export type PhotosErrorCode =
  | 'PHOTO_TOO_LARGE'
  | 'PHOTO_TYPE_UNSUPPORTED'
  | 'PHOTO_MISSING'
  | 'PHOTO_NOT_FOUND'
  | 'PHOTO_ALREADY_USED'
  | 'TOO_MANY_PHOTOS'
  | 'PHOTO_REJECTED'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'RATE_LIMITED'
  | 'VOICE_NOTE_TOO_LONG';

export class PhotosException extends AppException<PhotosErrorCode> {}

/** The daily quota of unattached uploads is used up; it frees a slot in retryAfterSeconds at the latest. */
export class UploadQuotaExceeded extends PhotosException {
  constructor(
    readonly retryAfterSeconds: number,
    quota: number,
  ) {
    super('RATE_LIMITED', '今天上传的照片太多了，请先用已上传的照片提交心愿，或稍后再试', [`at most ${quota} photos not yet used in a wish per 24 hours`]);
  }
}
