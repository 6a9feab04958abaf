/** Small helpers shared by the simulator tests (collect rendered rows into one array). */
import { renderRows, type RenderOptions, type SimulationPlan } from './simulate';

export async function renderAll(plan: SimulationPlan, r: RenderOptions = {}): Promise<Float32Array> {
  const { width, height } = plan.options;
  const all = new Float32Array(width * height);
  let offset = 0;
  for await (const block of renderRows(plan, r)) {
    all.set(block, offset);
    offset += block.length;
  }
  if (offset !== all.length) throw new Error(`rendered ${offset} of ${all.length} pixels`);
  return all;
}

export function rms(data: Float32Array): number {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i]! * data[i]!;
  return Math.sqrt(s / data.length);
}
