// Building blocks for organisations and people, used by the demo seeder and by
// the test factories (one way to make them, so the two never drift apart).
import type { EntityManager } from 'typeorm';
import { DEFAULT_YEARLY_FUND_FEN, PRIVACY_NOTICE_VERSION, type CommunityClass, type OrgKind, type Role } from '@xinyuan/shared';
import { Organisation, UnitPairing } from '../organisations/organisation.entity';
import { Consent, RoleGrant, User } from '../users/user.entity';
import { MemberRegistration } from '../members/member-registration.entity';
import type { Pii, PiiField } from '../../common/crypto/pii';

export async function makeOrg(m: EntityManager, now: Date, kind: OrgKind, name: string, parentId: number | null, cls?: CommunityClass): Promise<Organisation> {
  return m.save(
    m.create(Organisation, {
      kind,
      name,
      parentId,
      communityClass: cls ?? null,
      yearlyFundFen: cls ? DEFAULT_YEARLY_FUND_FEN[cls] : null,
      deactivatedAt: null,
      createdAt: now,
    }),
  );
}

export async function pairUnit(m: EntityManager, now: Date, unitId: number, communityId: number, startsOn: string, endsOn: string | null): Promise<UnitPairing> {
  return m.save(m.create(UnitPairing, { unitId, communityId, startsOn, endsOn, createdAt: now }));
}

export interface PersonSpec {
  openid: string;
  nickname: string;
  phone?: string;
  grants: { role: Role; orgId: number }[];
  /** Consent to the current privacy notice (default true). */
  consented?: boolean;
  /** For members: the verified registration behind their member grant. */
  registration?: { communityId: number; realName: string; workUnit: string };
  /** Seals the phone and the registration's name and phone, as the app writes them (without it they are stored as written before sealing began). */
  pii?: Pii;
}

export async function makePerson(m: EntityManager, now: Date, spec: PersonSpec): Promise<User> {
  const seal = (v: string, field: PiiField) => (spec.pii ? spec.pii.seal(v, field) : v);
  const user = await m.save(
    m.create(User, {
      openid: spec.openid,
      unionid: null,
      nickname: spec.nickname,
      phone: spec.phone === undefined ? null : seal(spec.phone, 'app_user.phone'),
      phoneHash: spec.pii?.phoneHash(spec.phone) ?? null,
      tokenVersion: 0,
      deletedAt: null,
      createdAt: now,
      updatedAt: now,
    }),
  );
  for (const g of spec.grants) {
    await m.save(m.create(RoleGrant, { userId: user.id, role: g.role, orgId: g.orgId, grantedBy: null, grantedAt: now, revokedAt: null }));
  }
  if (spec.registration) {
    await m.save(
      m.create(MemberRegistration, {
        userId: user.id,
        communityId: spec.registration.communityId,
        realName: seal(spec.registration.realName, 'member_registration.real_name'),
        phone: seal(spec.phone ?? '13900000000', 'member_registration.phone'),
        phoneHash: spec.pii?.phoneHash(spec.phone ?? '13900000000') ?? null,
        workUnit: spec.registration.workUnit,
        status: 'verified',
        refuseReason: null,
        reviewedBy: null,
        reviewedAt: now,
        createdAt: now,
      }),
    );
  }
  if (spec.consented ?? true) await m.save(m.create(Consent, { userId: user.id, noticeVersion: PRIVACY_NOTICE_VERSION, consentedAt: now }));
  return user;
}
