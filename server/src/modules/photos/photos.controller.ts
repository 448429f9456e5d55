import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PhotoView } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor, Public } from '../../common/auth/decorators';
import { IMAGE_MIMES } from './image-type';
import { PhotoDto, UploadPhotoDto } from './photos.dto';
import { PhotosException, UploadQuotaExceeded } from './photos.exception';
import { PhotosService } from './photos.service';
import { Limit } from '../../common/http/rate-limits';

@ApiTags('photos')
@Controller('photos')
export class PhotosController {
  constructor(private readonly photos: PhotosService) {}

  /** Uploads one photo (field "file"); its type is read from the bytes, and it is stored re-encoded as JPEG. */
  @Post()
  @Limit('upload', 'RATE_LIMITED: too many uploads this minute, or the daily quota of photos not yet used in a wish is reached (Retry-After: seconds)')
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadPhotoDto })
  @ApiCreatedResponse({ type: PhotoDto })
  @ApiBadRequestResponse({ description: 'PHOTO_MISSING: no file in field "file"; VALIDATION_FAILED: more than one file, or a malformed multipart body' })
  @ApiPayloadTooLargeResponse({ description: 'PHOTO_TOO_LARGE: over the upload size or 40 megapixels' })
  @ApiUnsupportedMediaTypeResponse({ description: 'PHOTO_TYPE_UNSUPPORTED: not a readable JPEG, PNG or WebP' })
  upload(@CurrentActor() actor: Actor, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PhotoView> {
    return withRetryAfter(reply, async () => this.photos.upload(actor.userId, await readPhotoFile(req)));
  }

  /** The photo's bytes. No token: image tags cannot send one; the signed URL is the permission. */
  @Public()
  @Get(':id/content')
  @ApiQuery({ name: 'exp', description: 'Expiry, unix seconds' })
  @ApiQuery({ name: 'sig', description: 'HMAC-SHA256 of "<id>.<exp>", hex' })
  @ApiProduces(...IMAGE_MIMES)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: unknown photo, bad signature or expired link' })
  async content(
    @Param('id') id: string,
    @Query('exp') exp: string,
    @Query('sig') sig: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const c = await this.photos.content(id, exp, sig);
    // private: these are photos of people's homes; no shared cache should keep them.
    void reply.header('cache-control', `private, max-age=${c.maxAgeSeconds}, immutable`);
    void reply.header('x-content-type-options', 'nosniff');
    return new StreamableFile(c.data, { type: c.mime, length: c.data.length });
  }
}

/** Runs an upload; a used-up daily quota answers with Retry-After. */
export async function withRetryAfter<T>(reply: FastifyReply, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof UploadQuotaExceeded) void reply.header('retry-after', String(e.retryAfterSeconds));
    throw e;
  }
}

// Per upload, on top of the plugin's limits (create-app.ts: file size, one file, a few fields):
// a photo's part needs two or three headers of a few hundred bytes.
const PART_LIMITS = { headerPairs: 16, headerSize: 8 * 1024 };

/**
 * Reads the one file of a multipart upload into memory, consuming the whole
 * body. The multipart plugin caps the file at config.uploadMaxBytes: past that
 * it either throws or marks the stream truncated, and both mean PHOTO_TOO_LARGE.
 * Anything else the parser cannot make sense of is the client's mistake: 400,
 * never 500.
 */
export async function readPhotoFile(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw new PhotosException('PHOTO_MISSING', undefined, ['send multipart/form-data with the photo in field "file"']);
  let photo: Buffer | null = null;
  try {
    for await (const part of req.parts({ limits: PART_LIMITS })) {
      if (part.type !== 'file') continue;
      if (photo) throw oneFileOnly();
      const data = await part.toBuffer();
      if (part.file.truncated) throw new PhotosException('PHOTO_TOO_LARGE');
      // A part without a name has fieldname undefined.
      if (part.fieldname !== 'file') throw new PhotosException('PHOTO_MISSING', undefined, [`the photo goes in field "file", not "${String(part.fieldname ?? '').slice(0, 40)}"`]);
      photo = data;
    }
  } catch (e) {
    throw multipartRefusal(req, e);
  }
  if (!photo) throw new PhotosException('PHOTO_MISSING');
  return photo;
}

function oneFileOnly(): PhotosException {
  return new PhotosException('VALIDATION_FAILED', '一次只能上传一张照片', ['send one file per request']);
}

function multipartRefusal(req: FastifyRequest, e: unknown): PhotosException {
  if (e instanceof PhotosException) return e;
  const code = (e as { code?: unknown })?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new PhotosException('PHOTO_TOO_LARGE');
  if (code === 'FST_FILES_LIMIT') return oneFileOnly();
  // A broken boundary, a part without its end, oversized part headers, too many parts, a dropped connection...
  req.log.info({ reason: String((e as Error)?.message ?? e).slice(0, 200), code }, 'unreadable multipart upload');
  return new PhotosException('VALIDATION_FAILED', '照片上传不完整，请重新上传', ['the multipart body could not be read']);
}
