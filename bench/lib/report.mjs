// Side-by-side text table of one map's metrics: ours | SExtractor | target for ours (the finder issue's bar).

const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const frac = (fr) => (fr && fr.total > 0 ? `${f3(fr.value)} (${fr.hit}/${fr.total})` : 'n/a (0 true)');
const binLabel = (b) => (b.hi === Infinity ? `>${b.lo}` : `${b.lo}–${b.hi}`);

/** Completeness over every bin with lo ≥ minSnr (the "above 10σ"). */
function completenessAbove(bins, minSnr) {
  let hit = 0;
  let total = 0;
  for (const b of bins) if (b.lo >= minSnr) (hit += b.hit), (total += b.total);
  return { hit, total, value: total ? hit / total : NaN };
}

/** The finder issue's bar for our finder: key → [text, passes(metrics, run, peerRun)]. */
function targetsFor(name) {
  const atLeast = (get, min) => (m) => get(m) >= min;
  const t = {
    fluxMedian: ['1.00 ± 0.02', (m) => Math.abs(m.fluxRatio.median - 1) <= 0.02],
    fluxMad: ['≤ 0.05', (m) => m.fluxRatio.mad <= 0.05],
    extended: ['≥ 0.6', atLeast((m) => m.extendedCompleteness.value, 0.6)],
  };
  if (name === 'crowded') {
    Object.assign(t, {
      all: ['≥ 0.90', atLeast((m) => m.completeness.value, 0.9)],
      reliability: ['≥ 0.99', atLeast((m) => m.reliability.value, 0.99)],
      wall: ['≤ SExtractor', (_m, r, peer) => Boolean(peer && !peer.error) && r.wallS <= peer.wallS],
      rss: ['≤ 1.5 GB', (_m, r) => r.peakRssBytes <= 1.5 * 1024 ** 3],
    });
  }
  if (name === 'powerlaw') {
    Object.assign(t, {
      '7–10': ['≥ 0.85', atLeast((m) => m.bins[2].value, 0.85)],
      above10: ['≥ 0.95', atLeast((m) => completenessAbove(m.bins, 10).value, 0.95)],
      reliability: ['≥ 0.999', atLeast((m) => m.reliability.value, 0.999)],
    });
  }
  if (name === 'noise') return { detections: ['0', (m) => m.nDetections === 0] };
  return t;
}

/** Rows of [label, key-in-targets, (metrics, run) => cell]. */
const ROWS = [
  ['detections', 'detections', (m) => String(m.nDetections)],
  ['matched', null, (m) => String(m.nMatched)],
  ...['3–5', '5–7', '7–10', '10–20', '20–50', '>50'].map((label, i) => [`completeness S/N ${label}`, label, (m) => frac(m.bins[i])]),
  ['completeness S/N ≥ 5', 'all', (m) => frac(m.completeness)],
  ['completeness S/N ≥ 10', 'above10', (m) => frac(completenessAbove(m.bins, 10))],
  ['reliability', 'reliability', (m) => frac(m.reliability)],
  ['extended completeness (S/N ≥ 5)', 'extended', (m) => frac(m.extendedCompleteness)],
  ['flux ratio median (pt, S/N ≥ 10)', 'fluxMedian', (m) => `${f3(m.fluxRatio.median)} (n=${m.fluxRatio.n})`],
  ['flux ratio MAD', 'fluxMad', (m) => f3(m.fluxRatio.mad)],
  ['median position error (beams)', null, (m) => `${f3(m.positionErrorBeams.median)} (n=${m.positionErrorBeams.n})`],
  ['wall time', 'wall', (_m, r) => `${r.wallS.toFixed(2)} s`],
  ['CPU time (user + system, all threads)', null, (_m, r) => (Number.isFinite(r.cpuS) ? `${r.cpuS.toFixed(2)} s` : 'n/a')],
  ['peak RSS', 'rss', (_m, r) => (Number.isFinite(r.peakRssBytes) ? `${(r.peakRssBytes / 1024 ** 2).toFixed(0)} MB` : 'n/a')],
];

function targetCell(target, ours, peer) {
  if (!target) return '';
  if (ours.error) return target[0];
  return `${target[0]} ${target[1](ours.metrics, ours, peer) ? 'PASS' : 'FAIL'}`;
}

export function printMapTable({ name, about, nTruth, haveOurs, runs }) {
  console.log(`\n--- map ${name}: ${about}; ${nTruth} true sources ---`);
  if (!haveOurs) console.log('ours: not available (cirasa find missing)');
  const cols = [];
  if (runs.ours) cols.push(['ours', runs.ours]);
  if (runs.sextractor) cols.push(['SExtractor', runs.sextractor]);
  for (const [label, r] of cols) if (r.error) console.log(`${label}: FAILED: ${r.error}`);
  const ok = cols.filter(([, r]) => !r.error);
  if (ok.length === 0) return;
  const targets = targetsFor(name);
  const header = ['metric', ...ok.map(([l]) => l), ...(runs.ours ? ['target (ours)'] : [])];
  const body = ROWS.map(([label, key, cell]) => [
    label,
    ...ok.map(([, r]) => cell(r.metrics, r)),
    ...(runs.ours ? [targetCell(key && targets[key], runs.ours, runs.sextractor)] : []),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i].length)));
  const line = (row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of body) console.log(line(row));
  const ours = runs.ours, sex = runs.sextractor;
  if (ours && sex && !ours.error && !sex.error && sex.wallS > 0) {
    console.log(`wall-time ratio ours / SExtractor (same run): ${(ours.wallS / sex.wallS).toFixed(2)}`);
  }
}
