import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiBadRequestResponse, ApiBody } from '@nestjs/swagger';
import { Public } from '../../common/auth/decorators';
import { WechatPush } from './wechat-push.service';

/** WeChat's message push (configure its URL as {PUBLIC_BASE_URL}/api/wechat/push in the console). */
@ApiTags('wechat')
@Controller('wechat/push')
export class WechatPushController {
  constructor(private readonly push: WechatPush) {}

  /** The console's URL check: answers echostr when signature = sha1(sorted [Token, timestamp, nonce]). */
  @Public()
  @Get()
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiQuery({ name: 'signature' })
  @ApiQuery({ name: 'timestamp' })
  @ApiQuery({ name: 'nonce' })
  @ApiQuery({ name: 'echostr' })
  @ApiOkResponse({ description: 'echostr, as text', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'WECHAT_PUSH_SIGNATURE_INVALID: bad, missing or stale signature' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: no echostr' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: message push is not configured (WECHAT_PUSH_TOKEN)' })
  verify(@Query() q: Record<string, unknown>): string {
    return this.push.verifyUrl(q);
  }

  /** A pushed event (JSON format; plain, or safe mode with msg_signature and Encrypt): handled, answered "success". */
  @Public()
  @Post()
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiQuery({ name: 'signature', required: false })
  @ApiQuery({ name: 'timestamp' })
  @ApiQuery({ name: 'nonce' })
  @ApiQuery({ name: 'msg_signature', required: false, description: 'Safe mode: sha1(sorted [Token, timestamp, nonce, Encrypt])' })
  @ApiQuery({ name: 'encrypt_type', required: false })
  @ApiBody({ schema: { type: 'object', description: 'The event (e.g. wxa_media_check), or {ToUserName, Encrypt} in safe mode' } })
  @ApiOkResponse({ description: '"success"', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'WECHAT_PUSH_SIGNATURE_INVALID: bad, missing or stale signature (nothing is read or changed)' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: a signed message that is not a JSON object or cannot be opened' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: message push is not configured (WECHAT_PUSH_TOKEN)' })
  receive(@Query() q: Record<string, unknown>, @Body() body: unknown): Promise<string> {
    return this.push.receive(q, body);
  }
}
