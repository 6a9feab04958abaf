import { useMemo } from 'react';
import type { ImageInfo } from '../../../shared/contract/images';
import { parseWcs, type Wcs } from './wcsApi';

/** The image's celestial WCS built in the renderer from its cards, or null (no sky axes, unsupported). */
export function useWcs(image: ImageInfo | null): Wcs | null {
  return useMemo(() => {
    if (!image) return null;
    try {
      return parseWcs(image.cards);
    } catch {
      return null;
    }
  }, [image]);
}
