import { AppException } from '../../common/errors/app.exception';

/** Every refusal of reports and complaints (shared/src/reports.ts). */
export class ReportsException extends AppException<
  | 'VALIDATION_FAILED'
  | 'FORBIDDEN'
  | 'ORG_NOT_FOUND'
  | 'QUOTA_EXCEEDED'
  | 'ACCOUNT_DELETED'
  | 'REPORT_NOT_FOUND'
  | 'REPORT_TARGET_NOT_FOUND'
  | 'REPORT_OWN_CONTENT'
  | 'REPORT_CATEGORY_INVALID'
  | 'REPORT_DUPLICATE'
  | 'REPORT_ALREADY_HANDLED'
> {}
