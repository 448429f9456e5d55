import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PHOTO_CHECK_STATES, VOICE_NOTE_MAX_SECONDS, type PhotoCheckState, type PhotoView, type VoiceNoteView } from '@xinyuan/shared';
import { AUDIO_MIMES } from './audio-type';
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

export class VoiceNoteDto implements VoiceNoteView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: AUDIO_MIMES, description: 'Read from the bytes: MP3, AAC (ADTS) or M4A' }) mime: string;
  @ApiProperty({ description: 'Bytes of the recording' }) size: number;
  @ApiProperty({ description: 'Relative, signed URL that serves the recording without a token for about an hour' }) url: string;
  @ApiProperty({ description: `Length in milliseconds, read from the file's frames (at most ${VOICE_NOTE_MAX_SECONDS} s)` }) durationMs: number;
  @ApiPropertyOptional({ enum: PHOTO_CHECK_STATES, description: "WeChat's media check (as audio); for the uploader and the community's staff only" })
  checkState?: PhotoCheckState;
}

/** The multipart body of a voice note upload, for the OpenAPI document. */
export class UploadVoiceNoteDto {
  @ApiProperty({ type: 'string', format: 'binary', description: `One recording from WeChat's recorder (MP3 or AAC), at most ${VOICE_NOTE_MAX_SECONDS} s and 2 MB.` })
  file: unknown;
}
