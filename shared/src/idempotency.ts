// Writes that can be repeated safely: every create and every move accepts an idempotency key.
// The server keeps the first answer for a day (per user); the mini-program sends one key per
// draft or per action attempt, so a retry after a lost reply gets the first answer back.

/** The request header that carries the key. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set on a response that repeats a stored first answer. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** What a key may look like: 8–100 characters of letters, digits and `-_.:` (a UUID fits). */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{8,100}$/;
/** How long the server keeps a key's first answer. */
export const IDEMPOTENCY_TTL_HOURS = 24;
