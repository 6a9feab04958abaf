/**
 * Coordinate types carrying their conventions. The two pixel types are deliberately not assignable
 * to each other (the optional `__conv` tag differs), so a 1-based FITS pixel can never be passed where
 * a 0-based one is expected without going through `fitsToPixel0`.
 */

/** 0-based pixel, 0 = centre of the first pixel (astropy / numpy convention). */
export interface Pixel0 {
  x: number;
  y: number;
  readonly __conv?: 'pixel0';
}

/** 1-based pixel, 1 = centre of the first pixel (FITS, DS9 "image" coordinates). */
export interface FitsPixel {
  x: number;
  y: number;
  readonly __conv?: 'fits';
}

export type SkyFrame = 'icrs' | 'fk5' | 'fk4' | 'galactic';

export const SKY_FRAMES: readonly SkyFrame[] = ['icrs', 'fk5', 'fk4', 'galactic'];

/** A sky position in degrees. Equatorial frames use the default equinox (FK5 J2000, FK4 B1950). */
export interface World {
  lon: number;
  lat: number;
  frame: SkyFrame;
}

export function fitsToPixel0(p: FitsPixel): Pixel0 {
  return { x: p.x - 1, y: p.y - 1 };
}

export function pixel0ToFits(p: Pixel0): FitsPixel {
  return { x: p.x + 1, y: p.y + 1 };
}

export function isSkyFrame(value: unknown): value is SkyFrame {
  return typeof value === 'string' && (SKY_FRAMES as readonly string[]).includes(value);
}
