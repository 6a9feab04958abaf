import { describe, expect, it } from 'vitest';
import { FirstViewGate } from './firstViewGate';

const elapsed = async (p: Promise<void>): Promise<number> => {
  const t = performance.now();
  await p;
  return performance.now() - t;
};

describe('FirstViewGate (when a cold pyramid build may start)', () => {
  it('opens soon when no viewer asks for tiles (CLI, scripts)', async () => {
    const ms = await elapsed(new FirstViewGate({ noRequestMs: 60, maxMs: 5000 }).open);
    expect(ms).toBeGreaterThanOrEqual(50);
    expect(ms).toBeLessThan(1000);
  });

  it('waits while the first view is being served, then opens once requests go quiet', async () => {
    const gate = new FirstViewGate({ quietMs: 80, noRequestMs: 30, maxMs: 5000 });
    let opened = false;
    void gate.open.then(() => (opened = true));
    gate.requestStarted();
    await new Promise((r) => setTimeout(r, 150));
    expect(opened).toBe(false); // a request in flight holds the build back
    gate.requestFinished();
    await new Promise((r) => setTimeout(r, 30));
    expect(opened).toBe(false); // not quiet long enough yet
    await gate.open;
    expect(opened).toBe(true);
  });

  it('never waits longer than the cap', async () => {
    const gate = new FirstViewGate({ maxMs: 100 });
    gate.requestStarted(); // never finishes
    expect(await elapsed(gate.open)).toBeLessThan(1000);
  });
});
