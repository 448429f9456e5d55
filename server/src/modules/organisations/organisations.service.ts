import { Injectable } from '@nestjs/common';
import type { OfficePhoneView } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { AccessPolicy } from '../../access/policy';
import { OrganisationsException } from './organisations.exception';
import { OrganisationsRepository } from './organisations.repository';

/** The community office phone (联系社区): its committee sets it, every reader of a wish of the community sees it. */
@Injectable()
export class OrganisationsService {
  constructor(
    private readonly orgs: OrganisationsRepository,
    private readonly policy: AccessPolicy,
  ) {}

  /** The communities whose office phone the actor sets (community_admin grants), with the phone each has now. */
  async officePhones(actor: Actor): Promise<OfficePhoneView[]> {
    if (!this.policy.can(actor, 'office_phone')) throw new OrganisationsException('FORBIDDEN').because('office_phone: no grant');
    const ids = [...new Set(this.policy.grantsFor(actor, 'office_phone').map((g) => g.orgId))];
    const rows = await this.orgs.findByIds(ids);
    return rows.filter((o) => o.kind === 'community').sort((a, b) => a.id - b.id).map((o) => ({ communityId: o.id, communityName: o.name, officePhone: o.officePhone }));
  }

  /** Set (or clear, with null) a community's office phone: the committee of that community only. */
  async setOfficePhone(actor: Actor, communityId: number, phone: string | null): Promise<OfficePhoneView> {
    const org = await this.orgs.findById(communityId);
    if (!org || org.kind !== 'community') throw new OrganisationsException('ORG_NOT_FOUND');
    if (!(await this.policy.canAt(actor, 'office_phone', communityId))) throw new OrganisationsException('FORBIDDEN').because('office_phone: not the committee of the community');
    await this.orgs.setOfficePhone(communityId, phone);
    return { communityId, communityName: org.name, officePhone: phone };
  }
}
