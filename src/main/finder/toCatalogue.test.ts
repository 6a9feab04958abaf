import { describe, expect, it } from 'vitest';
import { runFinder } from './runFinder';
import { addGaussian, addNoise, makePlane } from './synthetic';
import { toCatalogue } from './toCatalogue';
import { roundSig } from './catalogueNumbers';

describe('toCatalogue', () => {
  it('gives each island its components whatever their order (run walk for the canonical order, lookup otherwise)', () => {
    const p = makePlane(200, 160);
    addNoise(p, 1, 3);
    for (let k = 0; k < 12; k++) addGaussian(p, { amp: 10 + 4 * k, x: 15 + ((k * 37) % 170), y: 15 + ((k * 53) % 130), majorSigma: 1.8, minorSigma: 1.6, paDeg: 15 * k });
    // a blend: one island, two components
    addGaussian(p, { amp: 30, x: 100, y: 80, majorSigma: 1.7, minorSigma: 1.7, paDeg: 0 });
    addGaussian(p, { amp: 25, x: 104, y: 82, majorSigma: 1.7, minorSigma: 1.7, paDeg: 0 });
    const result = runFinder(p, { majorSigmaPx: 1.7, minorSigmaPx: 1.7, paDeg: 0 });
    expect(result.islands.length).toBeGreaterThan(8);
    expect(result.components.length).toBeGreaterThan(result.islands.length);
    const info = { name: 'c', parameters: {} };
    type Sources = ReturnType<typeof toCatalogue>['sources'];
    // component ids and indexes follow the input order within an island: compared as sets
    const norm = (s: Sources) => s.map((x) => ({ ...x, components: x.components.map(({ id: _id, index: _index, ...c }) => c).sort((a, b) => a.x - b.x) }));
    const canonical = toCatalogue(result, info).sources;
    const reversed = toCatalogue({ ...result, components: [...result.components].reverse() }, info).sources;
    expect(norm(reversed)).toEqual(norm(canonical));
    for (const [k, isl] of result.islands.entries()) expect(canonical[k].components.map((c) => c.x)).toEqual(result.components.filter((c) => c.islandId === isl.id).map((c) => roundSig(c.x)));
    // canonical order with a component of no island and an island without components
    const [first, second, third] = result.islands;
    const orphan = { ...result.components[0], islandId: first.id + 0.5 };
    const gap = {
      ...result,
      islands: result.islands.map((i) => (i === second ? { ...i, id: second.id + 0.25 } : i)),
      components: [...result.components.filter((c) => c.islandId === first.id), orphan, ...result.components.filter((c) => c.islandId > second.id)],
    };
    const viaRuns = toCatalogue(gap, info).sources;
    expect(norm(viaRuns)).toEqual(norm(toCatalogue({ ...gap, components: [...gap.components].reverse() }, info).sources));
    expect(viaRuns[1].components).toEqual([]);
    expect(viaRuns[2].components.length).toBe(result.components.filter((c) => c.islandId === third.id).length);
    expect(viaRuns[2].components.length).toBeGreaterThan(0);
  });
});
