/** Finder evaluation against a simulated truth: cross-match and the finder-issue metrics. */
export * from './types';
export { crossMatch, matchRadiusPx, DEFAULT_RADIUS_FRACTION } from './crossMatch';
export { evaluateFinder, evaluateMatches, medianOf, madOf, DEFAULT_SNR_EDGES } from './metrics';
export { parseTruthCsv } from './truthCsv';
