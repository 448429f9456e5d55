// Placeholder until the Taro mini-program lands: proves the shared contract
// compiles for the client side too.
import { WISH_STATES, stateLabel } from '@xinyuan/shared';

export const stateLabels = WISH_STATES.map((s) => stateLabel(s));
