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
import type { MultipartFile } from '@fastify/multipart';
import type { PhotoView } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor, Public } from '../../common/auth/decorators';
import { IMAGE_MIMES } from './image-type';
import { PhotoDto, UploadPhotoDto } from './photos.dto';
import { PhotosException } from './photos.exception';
import { PhotosService } from './photos.service';

@ApiTags('photos')
@Controller('photos')
export class PhotosController {
  constructor(private readonly photos: PhotosService) {}

  /** Uploads one photo (field "file"); its type is read from the bytes. */
  @Post()
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadPhotoDto })
  @ApiCreatedResponse({ type: PhotoDto })
  @ApiBadRequestResponse({ description: 'PHOTO_MISSING: no file in field "file"' })
  @ApiPayloadTooLargeResponse({ description: 'PHOTO_TOO_LARGE' })
  @ApiUnsupportedMediaTypeResponse({ description: 'PHOTO_TYPE_UNSUPPORTED: not JPEG, PNG or WebP' })
  async upload(@CurrentActor() actor: Actor, @Req() req: FastifyRequest): Promise<PhotoView> {
    return this.photos.upload(actor.userId, await readPhotoFile(req));
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

/**
 * Reads the one file of a multipart upload into memory. The multipart plugin
 * caps it at config.uploadMaxBytes: past that it either throws or marks the
 * stream truncated, and both mean PHOTO_TOO_LARGE.
 */
async function readPhotoFile(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw new PhotosException('PHOTO_MISSING', undefined, ['send multipart/form-data with the photo in field "file"']);
  let part: MultipartFile | undefined;
  let data: Buffer;
  try {
    part = await req.file();
    if (!part) throw new PhotosException('PHOTO_MISSING');
    data = await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new PhotosException('PHOTO_TOO_LARGE');
    throw e;
  }
  if (part.file.truncated) throw new PhotosException('PHOTO_TOO_LARGE');
  if (part.fieldname !== 'file') throw new PhotosException('PHOTO_MISSING', undefined, [`the photo goes in field "file", not "${part.fieldname.slice(0, 40)}"`]);
  return data;
}
