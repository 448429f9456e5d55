// Issue 14 (适老化): start in large-text mode when WeChat's font size is large; the manual toggle wins.
import Taro, { __taro } from '../../test/stubs/taro';
import { KEYS } from '../services/storage';
import { initialLargeText, setLargeText, settings } from '../stores/settings';

const font = (px: number | undefined) => (Taro.getAppBaseInfo as jest.Mock).mockReturnValue(px === undefined ? {} : { fontSizeSetting: px });

describe('large text from WeChat font size', () => {
  it.each([
    [16, false], // Android's standard size
    [17, false], // iOS's standard size
    [18, true],
    [20, true],
    [24, true],
    [undefined, false], // H5, or a base library without the setting
  ])('fontSizeSetting %p → large text %p when the person never chose', (px, large) => {
    font(px);
    expect(initialLargeText()).toBe(large);
  });

  it("the person's own choice wins over WeChat's font size, both ways", () => {
    font(22);
    __taro.storage.set(KEYS.largeText, false);
    expect(initialLargeText()).toBe(false);
    font(16);
    __taro.storage.set(KEYS.largeText, true);
    expect(initialLargeText()).toBe(true);
  });

  it('the toggle is saved as an explicit choice', () => {
    font(22);
    setLargeText(false);
    expect(settings.get().largeText).toBe(false);
    expect(__taro.storage.get(KEYS.largeText)).toBe(false);
    expect(initialLargeText()).toBe(false);
  });

  it('a failing getAppBaseInfo means standard text', () => {
    (Taro.getAppBaseInfo as jest.Mock).mockImplementation(() => {
      throw new Error('getAppBaseInfo:fail');
    });
    expect(initialLargeText()).toBe(false);
  });
});
