import { AppException } from '../../common/errors/app.exception';

export class AccessLogException extends AppException<'ACCESS_LOG_UNAVAILABLE' | 'FORBIDDEN' | 'VALIDATION_FAILED'> {}
