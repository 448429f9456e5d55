import { AppException } from '../../common/errors/app.exception';

/** Every way the photos module refuses a request; the global filter maps each code to its status. */
export type PhotosErrorCode =
  | 'PHOTO_TOO_LARGE'
  | 'PHOTO_TYPE_UNSUPPORTED'
  | 'PHOTO_MISSING'
  | 'PHOTO_NOT_FOUND'
  | 'PHOTO_ALREADY_USED'
  | 'TOO_MANY_PHOTOS'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED';

export class PhotosException extends AppException<PhotosErrorCode> {}
