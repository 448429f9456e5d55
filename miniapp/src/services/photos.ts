import type { PhotoView } from '@xinyuan/shared';
import { upload } from './request';

export const photosApi = {
  /** `file`: H5's picked File (posted as it is); WeChat uploads from filePath. */
  upload: (filePath: string, onProgress?: (percent: number) => void, file?: Blob | null) => upload<PhotoView>('/photos', filePath, { onProgress, file }),
};
