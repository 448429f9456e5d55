import { AppException } from '../../common/errors/app.exception';

export class DispatchException extends AppException<'FORBIDDEN' | 'VALIDATION_FAILED' | 'NOT_FOUND' | 'CALENDAR_NOTICE_UNREADABLE' | 'CALENDAR_NOTICE_YEAR'> {}
