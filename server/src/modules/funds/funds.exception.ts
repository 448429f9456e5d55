import { AppException } from '../../common/errors/app.exception';

export class FundsException extends AppException<'FORBIDDEN' | 'VALIDATION_FAILED' | 'ORG_NOT_FOUND' | 'FUND_SPEND_NOT_FOUND' | 'FUND_SPEND_NOT_PENDING' | 'OWN_HANDLING' | 'OWN_SUBMISSION'> {}
