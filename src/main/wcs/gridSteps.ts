/** "Nice" grid spacings and the labels that go with them (RA in time units, Dec in arcmin/arcsec). */
import type { SkyFrame } from '../../shared/domain/coords';
import { normLon } from './angles';

/** Seconds of time. */
const RA_STEPS_S = [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 14400, 21600];
/** Arcseconds. */
const DEC_STEPS_AS = [1e-4, 2e-4, 5e-4, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 18000, 36000, 54000, 108000];
/** Degrees. */
const DEG_STEPS = [1e-8, 2e-8, 5e-8, 1e-7, 2e-7, 5e-7, 1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 45, 90];

export const raStepsDeg = RA_STEPS_S.map((s) => s / 240);
export const decStepsDeg = DEC_STEPS_AS.map((s) => s / 3600);
export const degStepsDeg = DEG_STEPS;

export function isEquatorial(frame: SkyFrame): boolean {
  return frame !== 'galactic';
}

/** Smallest step of the list that is at least `minStep`; the largest one if none is. */
export function niceStep(steps: readonly number[], minStep: number): number {
  for (const s of steps) if (s >= minStep * (1 - 1e-9)) return s;
  return steps[steps.length - 1]!;
}

export function lonSteps(frame: SkyFrame): readonly number[] {
  return isEquatorial(frame) ? raStepsDeg : degStepsDeg;
}

export function latSteps(frame: SkyFrame): readonly number[] {
  return isEquatorial(frame) ? decStepsDeg : degStepsDeg;
}

/** Decimals needed to show multiples of `step` (in the label's smallest unit). */
function decimalsFor(step: number): number {
  for (let d = 0; d < 9; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) return d;
  return 9;
}

/** value in big units -> [big, 60ths, 3600ths] rounded at `decimals` of the last field, with carry. */
function split(value: number, decimals: number): [number, number, number] {
  const scale = 10 ** decimals;
  const total = Math.round(Math.abs(value) * 3600 * scale);
  const a = Math.floor(total / (3600 * scale));
  const b = Math.floor((total - a * 3600 * scale) / (60 * scale));
  const c = (total - a * 3600 * scale - b * 60 * scale) / scale;
  return [a, b, c];
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Label of a grid line at `valueDeg` for lines spaced by `stepDeg`. */
export function gridLabel(axis: 'lon' | 'lat', valueDeg: number, stepDeg: number, frame: SkyFrame): string {
  if (!isEquatorial(frame)) {
    const v = axis === 'lon' ? normLon(valueDeg) : valueDeg;
    return `${v.toFixed(decimalsFor(stepDeg))}°`;
  }
  if (axis === 'lon') {
    const stepS = stepDeg * 240;
    const [h, m, s] = split(normLon(valueDeg) / 15, stepS < 1 ? decimalsFor(stepS) : 0);
    if (stepS >= 3600) return `${h % 24}h`;
    if (stepS >= 60) return `${h % 24}h${two(m)}m`;
    const dec = stepS < 1 ? decimalsFor(stepS) : 0;
    return `${h % 24}h${two(m)}m${s.toFixed(dec).padStart(dec ? dec + 3 : 2, '0')}s`;
  }
  const stepAs = stepDeg * 3600;
  const sign = valueDeg < 0 ? '-' : valueDeg > 0 ? '+' : '';
  const dec = stepAs < 1 ? decimalsFor(stepAs) : 0;
  const [d, m, s] = split(valueDeg, dec);
  if (stepAs >= 3600) return `${sign}${d}°`;
  if (stepAs >= 60) return `${sign}${d}°${two(m)}′`;
  return `${sign}${d}°${two(m)}′${s.toFixed(dec).padStart(dec ? dec + 3 : 2, '0')}″`;
}
