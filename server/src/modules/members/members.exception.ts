import { AppException } from '../../common/errors/app.exception';

export class MembersException extends AppException<
  'ORG_NOT_FOUND' | 'REGISTRATION_EXISTS' | 'REGISTRATION_NOT_FOUND' | 'MEMBER_NOT_FOUND' | 'REGISTRATION_NOT_PENDING' | 'REGISTRATION_NOT_VERIFIED' | 'REGISTRATION_CLOSED' | 'FORBIDDEN'
> {}
