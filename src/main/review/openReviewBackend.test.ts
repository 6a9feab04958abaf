import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openReviewBackend } from './openReviewBackend';
import { reviewHandlers } from './reviewHandlers';

const dir = mkdtempSync(join(tmpdir(), 'review-backend-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openReviewBackend', () => {
  it('opens the store in the data folder', () => {
    const b = openReviewBackend(dir, () => {});
    expect(b.error).toBeNull();
    expect(b.catalogues!.list()).toEqual([]);
    b.catalogues!.dispose();
    b.store!.close();
  });

  it('a damaged store does not throw: the review methods answer the error instead', async () => {
    const bad = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(join(bad, 'cirasa.sqlite'), 'this is not a database'.repeat(200));
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const b = openReviewBackend(bad, () => {});
    log.mockRestore();
    expect(b.catalogues).toBeNull();
    expect(b.error!.code).toBe('store.corrupt');
    const h = reviewHandlers(b.error!);
    await expect(h['catalogue.list']({}, { transport: 'http', signal: new AbortController().signal } as never)).rejects.toMatchObject({ code: 'store.corrupt' });
  });
});
