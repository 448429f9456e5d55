import { AppException } from '../../common/errors/app.exception';

/** Errors of the organisations module (the community office phone). */
export class OrganisationsException extends AppException<'FORBIDDEN' | 'ORG_NOT_FOUND' | 'VALIDATION_FAILED'> {}
