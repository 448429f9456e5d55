import { AppException } from '../../common/errors/app.exception';

/** The resident's rights: downloading one's data, deleting one's account. */
export class PrivacyException extends AppException<'VALIDATION_FAILED' | 'ACCOUNT_DELETED'> {}
