// The few parts of lunar-javascript (no typings of its own) the working calendar uses.
declare module 'lunar-javascript' {
  export class Solar {
    static fromYmd(year: number, month: number, day: number): Solar;
    toYmd(): string;
    getLunar(): Lunar;
  }
  export class Lunar {
    /** A lunar date; a negative month is the leap month of that number. */
    static fromYmd(lunarYear: number, lunarMonth: number, lunarDay: number): Lunar;
    getSolar(): Solar;
    /** The solar terms around this lunar year, by Chinese name (清明, ...). */
    getJieQiTable(): Record<string, Solar>;
  }
}
