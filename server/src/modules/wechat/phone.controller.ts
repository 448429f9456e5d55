import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { PhoneCodeResponse } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { Limit } from '../../common/http/rate-limits';
import { PhoneCodeDto, PhoneCodeResponseDto } from './phone.dto';
import { PhoneService } from './phone.service';

@ApiTags('me')
@Controller('me')
export class PhoneController {
  constructor(private readonly phone: PhoneService) {}

  /** The caller's own phone number from WeChat's phone-number button; nothing is stored. */
  @Post('phone')
  @Limit('login')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ type: PhoneCodeResponseDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED, or PHONE_CODE_INVALID (the code is invalid, used or expired)' })
  @ApiResponse({ status: 429, description: 'WECHAT_RATE_LIMITED: WeChat says too many calls' })
  @ApiResponse({ status: 503, description: 'WECHAT_UNAVAILABLE: WeChat busy, unreachable, too slow, or not configured' })
  fromCode(@CurrentActor() actor: Actor, @Body() body: PhoneCodeDto): Promise<PhoneCodeResponse> {
    return this.phone.fromCode(actor, body.code);
  }
}
