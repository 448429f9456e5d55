import { AppException } from '../common/errors/app.exception';

/** Refusals of the access policy that no module owns (an ability the actor lacks). */
export class AccessException extends AppException<'FORBIDDEN' | 'NOT_FOUND'> {}
