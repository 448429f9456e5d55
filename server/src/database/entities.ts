import { Organisation, UnitPairing } from '../modules/organisations/organisation.entity';
import { Consent, RoleGrant, User } from '../modules/users/user.entity';
import { MemberRegistration } from '../modules/members/member-registration.entity';
import { Photo } from '../modules/photos/photo.entity';
import { Wish, WishEvent } from '../modules/wishes/wish.entity';
import { Report } from '../modules/reports/report.entity';
import { IdempotencyKey } from '../common/idempotency/idempotency-key.entity';

export const ENTITIES = [Organisation, UnitPairing, User, RoleGrant, Consent, MemberRegistration, Photo, Wish, WishEvent, Report, IdempotencyKey];
