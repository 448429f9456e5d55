import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { PhoneCodeRequest, PhoneCodeResponse } from '@xinyuan/shared';

export class PhoneCodeDto implements PhoneCodeRequest {
  @ApiProperty({ description: "The code of the mini-program's getPhoneNumber button (bindgetphonenumber's e.detail.code); valid once, for five minutes", minLength: 1, maxLength: 128 })
  @IsString()
  @Length(1, 128)
  @Matches(/^[\x21-\x7e]+$/, { message: 'code must be printable ASCII without spaces' })
  code: string;
}

export class PhoneCodeResponseDto implements PhoneCodeResponse {
  @ApiProperty({ description: 'The number without country code for mainland numbers (13812345678), else with it (+85261234567)', example: '13812345678' })
  phone: string;
}
