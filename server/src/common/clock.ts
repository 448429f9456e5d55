/** All time comes from here, so tests (and the dispatch engine's tests) move time instead of waiting. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock the tests set and advance. */
export class FakeClock extends Clock {
  constructor(private t: number = Date.parse('2026-11-27T02:00:00Z')) {
    super();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(d: Date | string): void {
    this.t = new Date(d).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
