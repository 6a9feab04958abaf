import { describe, expect, it } from 'vitest';
import { condonErrors, convolve, deconvolve } from './condon';
import { FWHM_PER_SIGMA } from './types';

describe('Condon (1997) errors', () => {
  it('beam-sized source with beam-correlated noise: σ_A/A = 1/SNR, σ_x = σ_beam·√2/ρ', () => {
    const fwhm = 4;
    const e = condonErrors(50, 1, fwhm, fwhm, 0, fwhm);
    // ρ² = (1/4)·2^(αM+αm)·SNR² with αM+αm = 3 → ρ = √2·SNR
    expect(e.peakErr / 50).toBeCloseTo(1 / 50, 10);
    expect(e.majorAxisPosErr).toBeCloseTo((Math.SQRT2 * fwhm) / FWHM_PER_SIGMA / (Math.SQRT2 * 50), 10);
    expect(e.xErr).toBeCloseTo(e.yErr, 10);
    // flux: σ_A² plus the two size terms weighted by θN²/(θM θm) = 1
    expect(e.fluxRelErr).toBeCloseTo(Math.sqrt(3) / 50, 10);
    expect(e.paErrDeg).toBe(90);
  });
  it('errors scale as 1/SNR and PA error shrinks with ellipticity', () => {
    const a = condonErrors(10, 1, 8, 4, 0.3, 3);
    const b = condonErrors(100, 1, 8, 4, 0.3, 3);
    expect(a.fluxRelErr / b.fluxRelErr).toBeCloseTo(10, 8);
    expect(a.xErr / b.xErr).toBeCloseTo(10, 8);
    expect(condonErrors(100, 1, 12, 4, 0, 3).paErrDeg).toBeLessThan(b.paErrDeg);
  });
});

describe('deconvolution', () => {
  it('inverts convolution for elliptical, rotated sources and beams', () => {
    const beam = { major: 2, minor: 1.5, thetaRad: 0.3 };
    const src = { major: 3, minor: 1, thetaRad: 1.1 };
    const back = deconvolve(convolve(src, beam), beam);
    expect(back.major).toBeCloseTo(3, 10);
    expect(back.minor).toBeCloseTo(1, 10);
    expect(Math.cos(2 * (back.thetaRad - 1.1))).toBeCloseTo(1, 10);
  });
  it('circular case is the quadrature difference; a point source deconvolves to 0', () => {
    const beam = { major: 1.6, minor: 1.6, thetaRad: 0 };
    const d = deconvolve({ major: 2, minor: 2, thetaRad: 0 }, beam);
    expect(d.major).toBeCloseTo(Math.sqrt(4 - 2.56), 10);
    const p = deconvolve({ major: 1.6, minor: 1.55, thetaRad: 0.2 }, beam);
    expect(p.minor).toBe(0);
    expect(p.major).toBeLessThan(0.5);
  });
});
