import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiPayloadTooLargeResponse, ApiTags, ApiUnsupportedMediaTypeResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VoiceNoteView } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { Limit } from '../../common/http/rate-limits';
import { readPhotoFile, withRetryAfter } from './photos.controller';
import { UploadVoiceNoteDto, VoiceNoteDto } from './photos.dto';
import { PhotosService } from './photos.service';

@ApiTags('photos')
@Controller('voice-notes')
export class VoiceNotesController {
  constructor(private readonly photos: PhotosService) {}

  /** Uploads one voice note (field "file"), for a wish's `voiceNoteId`; its type and length are read from the bytes. */
  @Post()
  @Limit('upload', 'RATE_LIMITED: too many uploads this minute, or the daily quota of uploads not yet used in a wish is reached (Retry-After: seconds)')
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadVoiceNoteDto })
  @ApiCreatedResponse({ type: VoiceNoteDto })
  @ApiBadRequestResponse({ description: 'PHOTO_MISSING: no file in field "file"; VOICE_NOTE_TOO_LONG: longer than 60 s as read from its frames; VALIDATION_FAILED: a malformed multipart body' })
  @ApiPayloadTooLargeResponse({ description: 'PHOTO_TOO_LARGE: over 2 MB' })
  @ApiUnsupportedMediaTypeResponse({ description: 'PHOTO_TYPE_UNSUPPORTED: not an MP3, AAC (ADTS) or M4A recording' })
  upload(@CurrentActor() actor: Actor, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<VoiceNoteView> {
    return withRetryAfter(reply, async () => this.photos.uploadVoice(actor.userId, await readPhotoFile(req)));
  }
}
