// The load loop of bench:day (also driven by the fault scripts): every tick, the operations due at
// the simulated hour's rates are started without waiting for earlier ones (open loop), up to a cap
// of requests in flight (beyond it an arrival is counted as shed, not sent).
import type { DayClient } from './client';
import { Pools, ratesAt, runOp, type Op, type World } from './scenario';

export interface RunOptions {
  wishesPerDay: number;
  dayMinutes: number;
  /** Simulated Beijing hour at the start. */
  startHour: number;
  /** Freeze the simulated clock at startHour (ramp steps). */
  frozen?: boolean;
  maxInFlight: number;
}

export class DayRun {
  readonly pools = new Pools();
  readonly started = new Map<Op, number>();
  readonly idle = new Map<Op, number>();
  shed = 0;
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private t0 = 0;

  constructor(
    private readonly client: DayClient,
    private readonly world: World,
    public opts: RunOptions,
  ) {}

  /** Simulated Beijing hour now (fractional). */
  hour(): number {
    if (this.opts.frozen) return this.opts.startHour;
    const simHours = ((Date.now() - this.t0) / 60_000) * (24 / this.opts.dayMinutes);
    return (this.opts.startHour + simHours) % 24;
  }

  /** Runs until stop() or for ms; resolves when every started operation has finished. */
  async run(ms: number): Promise<void> {
    this.t0 = Date.now();
    this.stopped = false;
    const end = Date.now() + ms;
    let last = Date.now();
    while (!this.stopped && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
      const now = Date.now();
      const dt = (now - last) / 1000;
      last = now;
      for (const [op, perSec] of ratesAt(Math.floor(this.hour()), this.opts.wishesPerDay, this.opts.dayMinutes)) {
        for (let n = poisson(perSec * dt); n > 0; n--) this.launch(op);
      }
    }
    await Promise.allSettled([...this.running]);
  }

  stop(): void {
    this.stopped = true;
  }

  private launch(op: Op): void {
    if (this.running.size >= this.opts.maxInFlight) {
      this.shed++;
      return;
    }
    this.started.set(op, (this.started.get(op) ?? 0) + 1);
    const p = runOp(op, this.client, this.world, this.pools)
      .then((did) => {
        if (!did) this.idle.set(op, (this.idle.get(op) ?? 0) + 1);
      })
      .catch((e) => {
        console.error(`${op}: ${(e as Error).message}`);
      })
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }
}

/** A Poisson draw (Knuth's method; the means here are small, one tick's worth). */
function poisson(mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss()));
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= Math.random();
  } while (p > l);
  return k - 1;
}

function gauss(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}
