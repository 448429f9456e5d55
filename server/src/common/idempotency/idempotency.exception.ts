import { AppException } from '../errors/app.exception';

/** Every refusal of the Idempotency-Key header (common/idempotency). */
export class IdempotencyException extends AppException<'IDEMPOTENCY_KEY_INVALID' | 'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_KEY_IN_USE' | 'IDEMPOTENCY_OUTCOME_UNKNOWN'> {
  /** Seconds to wait before trying again (IDEMPOTENCY_KEY_IN_USE: sent as Retry-After). */
  retryAfterSeconds?: number;
}

/** Not an error: the stored first answer of a key, sent again as it was (the error filter sends it). */
export class IdempotentReplay extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super('idempotent replay');
  }
}
