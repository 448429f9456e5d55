import { AppException } from '../../common/errors/app.exception';

export type LedgerErrorCode = 'FORBIDDEN' | 'WISH_NOT_FOUND' | 'ORG_NOT_FOUND' | 'VALIDATION_FAILED' | 'EXPORT_LINK_INVALID' | 'EXPORT_LINK_USED';

export class LedgerException extends AppException<LedgerErrorCode> {}
