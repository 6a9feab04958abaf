/**
 * Parameter errors of an elliptical Gaussian fit after Condon (1997, PASP 109, 166), eqs. 21 and 41,
 * as PyBDSF implements them, and deconvolution of a fitted Gaussian by the beam.
 *
 * θN is the FWHM of the noise correlation: the beam FWHM for a restored radio image (the default),
 * ≈ 0.664 pixel for uncorrelated pixel noise (matching Condon's white-noise limit π θM θm /(8 ln2 h²)).
 */
import { FWHM_PER_SIGMA } from './types';

export interface GaussErrors {
  peakErr: number;
  /** Relative (fractional) error of the integrated flux. */
  fluxRelErr: number;
  /** 1σ errors along the major and minor axes (pixels) and projected on x and y. */
  majorAxisPosErr: number;
  minorAxisPosErr: number;
  xErr: number;
  yErr: number;
  majorFwhmErr: number;
  minorFwhmErr: number;
  paErrDeg: number;
}

/**
 * @param peak fitted peak; rms local noise (same units)
 * @param majorFwhm, minorFwhm fitted FWHM (pixels); thetaRad major-axis angle from +x
 * @param noiseFwhm θN in pixels
 */
export function condonErrors(
  peak: number,
  rms: number,
  majorFwhm: number,
  minorFwhm: number,
  thetaRad: number,
  noiseFwhm: number,
): GaussErrors {
  const snr = Math.abs(peak) / rms;
  const base = (majorFwhm * minorFwhm) / (4 * noiseFwhm * noiseFwhm);
  const rM = 1 + (noiseFwhm / majorFwhm) ** 2;
  const rm = 1 + (noiseFwhm / minorFwhm) ** 2;
  const rho = (aM: number, am: number): number => Math.sqrt(base * rM ** aM * rm ** am) * snr;
  const rhoAmp = rho(1.5, 1.5);
  const rhoMaj = rho(2.5, 0.5);
  const rhoMin = rho(0.5, 2.5);
  const peakErr = (Math.SQRT2 * Math.abs(peak)) / rhoAmp;
  const majorFwhmErr = (Math.SQRT2 * majorFwhm) / rhoMaj;
  const minorFwhmErr = (Math.SQRT2 * minorFwhm) / rhoMin;
  const majorAxisPosErr = (Math.SQRT2 * majorFwhm) / FWHM_PER_SIGMA / rhoMaj;
  const minorAxisPosErr = (Math.SQRT2 * minorFwhm) / FWHM_PER_SIGMA / rhoMin;
  const c = Math.cos(thetaRad);
  const s = Math.sin(thetaRad);
  const diff = majorFwhm * majorFwhm - minorFwhm * minorFwhm;
  // a circular Gaussian has no defined PA: report the full range
  const paErrRad = diff > 1e-9 ? ((Math.SQRT2 / rhoMin) * (majorFwhm * minorFwhm)) / diff : Math.PI / 2;
  const relFlux2 =
    (peakErr / peak) ** 2 +
    ((noiseFwhm * noiseFwhm) / (majorFwhm * minorFwhm)) *
      ((majorFwhmErr / majorFwhm) ** 2 + (minorFwhmErr / minorFwhm) ** 2);
  return {
    peakErr,
    fluxRelErr: Math.sqrt(relFlux2),
    majorAxisPosErr,
    minorAxisPosErr,
    xErr: Math.sqrt((majorAxisPosErr * c) ** 2 + (minorAxisPosErr * s) ** 2),
    yErr: Math.sqrt((majorAxisPosErr * s) ** 2 + (minorAxisPosErr * c) ** 2),
    majorFwhmErr,
    minorFwhmErr,
    paErrDeg: Math.min(90, (paErrRad * 180) / Math.PI),
  };
}

export interface AxesSigma {
  /** Sigmas along the major/minor axes (pixels) and the major-axis angle from +x (radians). */
  major: number;
  minor: number;
  thetaRad: number;
}

/** Covariance [cxx, cyy, cxy] of a Gaussian. */
function covariance(g: AxesSigma): [number, number, number] {
  const c = Math.cos(g.thetaRad);
  const s = Math.sin(g.thetaRad);
  const a = g.major * g.major;
  const b = g.minor * g.minor;
  return [a * c * c + b * s * s, a * s * s + b * c * c, (a - b) * c * s];
}

/** Axes of the Gaussian with covariance [cxx, cyy, cxy]; negative eigenvalues clamp to 0. */
export function axesFromCovariance(cxx: number, cyy: number, cxy: number): AxesSigma {
  const tr = (cxx + cyy) / 2;
  const det = Math.sqrt(((cxx - cyy) / 2) ** 2 + cxy * cxy);
  return {
    major: Math.sqrt(Math.max(0, tr + det)),
    minor: Math.sqrt(Math.max(0, tr - det)),
    thetaRad: 0.5 * Math.atan2(2 * cxy, cxx - cyy),
  };
}

/** Intrinsic size: fitted covariance minus the beam's (sigmas; 0 on an axis that is not resolved). */
export function deconvolve(fit: AxesSigma, beam: AxesSigma): AxesSigma {
  const f = covariance(fit);
  const b = covariance(beam);
  return axesFromCovariance(f[0] - b[0], f[1] - b[1], f[2] - b[2]);
}

/** The fitted size a Gaussian of intrinsic size `src` has after convolution with `beam`. */
export function convolve(src: AxesSigma, beam: AxesSigma): AxesSigma {
  const f = covariance(src);
  const b = covariance(beam);
  return axesFromCovariance(f[0] + b[0], f[1] + b[1], f[2] + b[2]);
}
