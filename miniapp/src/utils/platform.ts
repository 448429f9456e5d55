/** Read at call time so tests can switch platforms; Taro's build inlines it. */
export function isWeapp(): boolean {
  return process.env.TARO_ENV === 'weapp';
}
export function isH5(): boolean {
  return process.env.TARO_ENV === 'h5';
}
