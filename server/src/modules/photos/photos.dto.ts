import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PHOTO_CHECK_STATES, type PhotoCheckState, type PhotoView } from '@xinyuan/shared';
import { IMAGE_MIMES } from './image-type';

export class PhotoDto implements PhotoView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: IMAGE_MIMES, description: 'Of the stored photo: image/jpeg, as every upload is re-encoded (photos stored before that may be PNG or WebP)' })
  mime: string;
  @ApiProperty({ description: 'Bytes of the stored (re-encoded) photo' }) size: number;
  @ApiProperty({ description: 'Relative, signed URL that serves the photo without a token for about an hour', example: '/api/photos/6f1c…/content?exp=1796000000&sig=…' })
  url: string;
  @ApiPropertyOptional({ enum: PHOTO_CHECK_STATES, description: "WeChat's media check; for the uploader and the community's staff only (pending photos are shown to no one else; failed ones to nobody)" })
  checkState?: PhotoCheckState;
}

/** The multipart body of an upload, for the OpenAPI document (the controller reads the stream itself). */
export class UploadPhotoDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'One JPEG, PNG or WebP image of at most 40 megapixels. Stored as a JPEG of at most 2048 px on the long side, turned upright, without EXIF or other metadata.',
  })
  file: unknown;
}
