// A wish's personal columns: sealed when written, with their masked forms and the phone's
// keyed hash beside them; opened only for a reader who sees them in full.
import { addressBuilding, maskedAddress, maskName, maskPhone, type Beneficiary } from '@xinyuan/shared';
import type { Pii } from '../../common/crypto/pii';
import type { Wish } from './wish.entity';

export type WishPersonalColumns = Pick<
  Wish,
  'beneficiaryName' | 'beneficiaryPhone' | 'address' | 'description' | 'beneficiaryNameMasked' | 'beneficiaryPhoneMasked' | 'addressBuilding' | 'beneficiaryPhoneHash'
>;

/** The columns as stored, from the plain values (a sensitive category's description is sealed too). */
export function sealWishPersonal(pii: Pii, v: { name: string; phone: string; address: string; description: string; sensitive: boolean }): WishPersonalColumns {
  return {
    beneficiaryName: pii.seal(v.name, 'wish.beneficiary_name'),
    beneficiaryPhone: pii.seal(v.phone, 'wish.beneficiary_phone'),
    address: pii.seal(v.address, 'wish.address'),
    description: v.sensitive ? pii.seal(v.description, 'wish.description') : v.description,
    beneficiaryNameMasked: maskName(v.name),
    beneficiaryPhoneMasked: maskPhone(v.phone),
    addressBuilding: addressBuilding(v.address),
    beneficiaryPhoneHash: pii.phoneHash(v.phone),
  };
}

type Stored = Pick<Wish, 'beneficiaryName' | 'beneficiaryPhone' | 'address' | 'beneficiaryNameMasked' | 'beneficiaryPhoneMasked' | 'addressBuilding'>;

/** The beneficiary as this reader sees them: opened in full, or the masked forms (never opened when they are kept). */
export function beneficiaryOf(pii: Pii, w: Stored, compoundName: string | null, full: boolean): Beneficiary {
  if (full) {
    const address = pii.open(w.address, 'wish.address');
    return { name: pii.open(w.beneficiaryName, 'wish.beneficiary_name'), phone: pii.open(w.beneficiaryPhone, 'wish.beneficiary_phone'), address: [compoundName, address].filter(Boolean).join(' ') };
  }
  // Rows written before sealing began keep no masked forms until `pii reencrypt` has run: mask them here.
  const name = w.beneficiaryNameMasked ?? maskName(pii.open(w.beneficiaryName, 'wish.beneficiary_name'));
  const phone = w.beneficiaryPhoneMasked ?? maskPhone(pii.open(w.beneficiaryPhone, 'wish.beneficiary_phone'));
  const building = w.addressBuilding ?? addressBuilding(pii.open(w.address, 'wish.address'));
  return { name, phone, address: maskedAddress(compoundName, building) };
}

/** The description in the clear (sealed ones opened). */
export function descriptionOf(pii: Pii, w: Pick<Wish, 'description'>): string {
  return pii.open(w.description, 'wish.description');
}
