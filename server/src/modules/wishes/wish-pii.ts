// A wish's personal columns: sealed when written, with their masked forms and the phone's
// keyed hash beside them; opened only for a reader who sees them in full.
import { addressBuilding, ERASED_ADDRESS, ERASED_NAME, ERASED_TEXT, maskedAddress, maskName, maskPhone, type Beneficiary } from '@xinyuan/shared';
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

/**
 * The personal columns of a wish whose contact details are erased (account deletion, retention):
 * the sealed columns hold a sealed empty value (so `pii status|reencrypt` see them as current),
 * the masked name holds the placeholder readers see, and no phone hash is left to look up.
 * With `description`, the description is the placeholder too (sealed for a sensitive category).
 */
export function erasedWishPersonal(pii: Pii, v: { placeholderName: string; sensitive: boolean; description: boolean }): Partial<WishPersonalColumns> {
  return {
    beneficiaryName: pii.seal('', 'wish.beneficiary_name'),
    beneficiaryPhone: pii.seal('', 'wish.beneficiary_phone'),
    address: pii.seal('', 'wish.address'),
    beneficiaryNameMasked: v.placeholderName,
    beneficiaryPhoneMasked: '',
    addressBuilding: '',
    beneficiaryPhoneHash: null,
    ...(v.description ? { description: v.sensitive ? pii.seal(ERASED_TEXT, 'wish.description') : ERASED_TEXT } : {}),
  };
}

type Stored = Pick<Wish, 'beneficiaryName' | 'beneficiaryPhone' | 'address' | 'beneficiaryNameMasked' | 'beneficiaryPhoneMasked' | 'addressBuilding' | 'contactErasedAt'>;

/**
 * The beneficiary as this reader sees them: opened in full, or the masked forms (never opened when they are kept).
 * Erased contact details read as placeholders for everyone (nothing is opened): the compound stays, it is the organisation's.
 */
export function beneficiaryOf(pii: Pii, w: Stored, compoundName: string | null, full: boolean): Beneficiary {
  if (w.contactErasedAt) return { name: w.beneficiaryNameMasked || ERASED_NAME, phone: '', address: [compoundName, ERASED_ADDRESS].filter(Boolean).join(' ') };
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
