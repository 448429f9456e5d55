import { maskAddress, maskName, maskPhone } from './mask';

describe('masking', () => {
  it('masks names to the surname', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('李*');
    expect(maskName('')).toBe('');
  });
  it('masks phone numbers as 138****1234', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('0971-1234')).toBe('*******34');
  });
  it('keeps only compound and building of an address', () => {
    expect(maskAddress('康乐小区', '3号楼2单元501')).toBe('康乐小区 3号楼');
    expect(maskAddress('康乐小区', '12栋 1201')).toBe('康乐小区 12栋');
    expect(maskAddress('康乐小区', '南门旁边平房')).toBe('康乐小区');
    expect(maskAddress(null, '平房')).toBe('***');
  });
});
