// Personal information at rest (PIPL Art. 51): sealed in the application before it reaches
// the database, on SQLite and MySQL alike. AES-256-GCM with a random 96-bit nonce per value,
// the key id written with the value, and the column as additional data (a value copied into
// another column does not open there). Equality lookups use a keyed hash, never the value.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** The columns that hold sealed values (the additional data of their seal). */
export const PII_FIELDS = [
  'wish.beneficiary_name',
  'wish.beneficiary_phone',
  'wish.address',
  'wish.description',
  'member_registration.real_name',
  'member_registration.phone',
  'app_user.phone',
  'report.text',
  // A kept first answer (common/idempotency): a wish's detail carries its contact details. Kept a day.
  'idempotency_key.response',
] as const;
export type PiiField = (typeof PII_FIELDS)[number];

/** Sealed values start with this; anything else is a value written before sealing began (read as it is, until re-encrypted). */
export const SEALED_PREFIX = 'pii1.';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value names a key the ring no longer has. */
export class PiiKeyMissing extends Error {
  constructor(readonly keyId: string) {
    super(`a value is sealed with key "${keyId}", which PII_KEYS no longer lists`);
    this.name = 'PiiKeyMissing';
  }
}

export interface PiiKeys {
  keys: readonly { id: string; key: Buffer }[];
  activeKeyId: string;
  hashKey: Buffer;
}

export class Pii {
  private readonly ring: Map<string, Buffer>;
  readonly activeKeyId: string;
  private readonly active: Buffer;
  private readonly hashKey: Buffer;

  constructor(k: PiiKeys) {
    this.ring = new Map(k.keys.map((x) => [x.id, x.key]));
    const active = this.ring.get(k.activeKeyId);
    if (!active || active.length !== 32) throw new Error('the active PII key must be in the ring and 32 bytes long');
    this.activeKeyId = k.activeKeyId;
    this.active = active;
    this.hashKey = k.hashKey;
  }

  /** pii1.<key id>.<nonce>.<ciphertext and tag>, base64url. */
  seal(plain: string, field: PiiField): string {
    const nonce = randomBytes(NONCE_BYTES);
    const c = createCipheriv('aes-256-gcm', this.active, nonce);
    c.setAAD(Buffer.from(field, 'utf8'));
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
    return `${SEALED_PREFIX}${this.activeKeyId}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** The plain value; a value written before sealing began comes back as it is. Throws PiiKeyMissing, or on a value that does not open. */
  open(stored: string, field: PiiField): string {
    if (!stored.startsWith(SEALED_PREFIX)) return stored;
    const [kid, nonce, body] = stored.slice(SEALED_PREFIX.length).split('.');
    const key = this.ring.get(kid);
    if (!key) throw new PiiKeyMissing(kid);
    const raw = Buffer.from(body ?? '', 'base64url');
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce ?? '', 'base64url'));
    d.setAAD(Buffer.from(field, 'utf8'));
    d.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([d.update(raw.subarray(0, raw.length - TAG_BYTES)), d.final()]).toString('utf8');
  }

  openOrNull(stored: string | null, field: PiiField): string | null {
    return stored === null ? null : this.open(stored, field);
  }

  /** The key a value is sealed with; null for a value not sealed yet. */
  static keyOf(stored: string): string | null {
    return stored.startsWith(SEALED_PREFIX) ? stored.slice(SEALED_PREFIX.length).split('.')[0] : null;
  }

  /** Is the value sealed with the active key (nothing left for the re-encryption to do)? */
  isCurrent(stored: string | null): boolean {
    return stored === null || Pii.keyOf(stored) === this.activeKeyId;
  }

  /** The keyed hash of a phone number (digits only), for equality lookups; null for none. */
  phoneHash(phone: string | null | undefined): string | null {
    const digits = (phone ?? '').replace(/\D/g, '');
    return digits ? createHmac('sha256', this.hashKey).update(`phone:${digits}`).digest('hex') : null;
  }
}
