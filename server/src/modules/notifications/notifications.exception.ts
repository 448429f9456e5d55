import { AppException } from '../../common/errors/app.exception';

export type NotificationsErrorCode = 'MESSAGE_NOT_FOUND' | 'VALIDATION_FAILED';

export class NotificationsException extends AppException<NotificationsErrorCode> {}
