import { Init1764201600000 } from './1764201600000-Init';
import { Dispatch1764288000000 } from './1764288000000-Dispatch';
import { Funds1764374400000 } from './1764374400000-Funds';
import { Desk1764460800000 } from './1764460800000-Desk';
import { Rates1764547200000 } from './1764547200000-Rates';
import { OutboxColumns1764633600000 } from './1764633600000-OutboxColumns';
import { AccessPolicy1764720000000 } from './1764720000000-AccessPolicy';
import { PiiAtRest1764806400000 } from './1764806400000-PiiAtRest';
import { PiAccessLog1764892800000 } from './1764892800000-PiAccessLog';
import { Rights1764979200000 } from './1764979200000-Rights';
import { RatesRules1765065600000 } from './1765065600000-RatesRules';
import { Chain1765238400000 } from './1765238400000-Chain';
import { ClaimWindowLeft1765324800000 } from './1765324800000-ClaimWindowLeft';
import { IntegrityFlags1765411200000 } from './1765411200000-IntegrityFlags';
import { DigestCache1765584000000 } from './1765584000000-DigestCache';
import { Reports1765670400000 } from './1765670400000-Reports';
import { PhotoCheck1765756800000 } from './1765756800000-PhotoCheck';
import { Notices1765843200000 } from './1765843200000-Notices';
import { Idempotency1765929600000 } from './1765929600000-Idempotency';
import { VoiceNote1765929601000 } from './1765929601000-VoiceNote';
import { OfficePhone1766016000000 } from './1766016000000-OfficePhone';
import { JobLease1766102400000 } from './1766102400000-JobLease';

/** Every migration, in order. New ones are appended here. */
export const MIGRATIONS = [Init1764201600000, Dispatch1764288000000, Funds1764374400000, Desk1764460800000, Rates1764547200000, OutboxColumns1764633600000, AccessPolicy1764720000000, PiiAtRest1764806400000, PiAccessLog1764892800000, Rights1764979200000, RatesRules1765065600000, Chain1765238400000, ClaimWindowLeft1765324800000, IntegrityFlags1765411200000, DigestCache1765584000000, Reports1765670400000, PhotoCheck1765756800000, Notices1765843200000, Idempotency1765929600000, VoiceNote1765929601000, OfficePhone1766016000000, JobLease1766102400000];
