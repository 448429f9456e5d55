import type { PhotoView, VoiceNoteView } from '@xinyuan/shared';
import { upload } from './request';

export const photosApi = {
  /** `file`: H5's picked File (posted as it is); WeChat uploads from filePath. */
  upload: (filePath: string, onProgress?: (percent: number) => void, file?: Blob | null) => upload<PhotoView>('/photos', filePath, { onProgress, file }),
  /** A voice note recorded with WeChat's recorder (mp3); its length is read by the server. */
  uploadVoice: (filePath: string) => upload<VoiceNoteView>('/voice-notes', filePath),
};
