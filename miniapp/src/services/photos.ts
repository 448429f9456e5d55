import type { PhotoView } from '@xinyuan/shared';
import { upload } from './request';

export const photosApi = {
  upload: (filePath: string, onProgress?: (percent: number) => void) => upload<PhotoView>('/photos', filePath, { onProgress }),
};
