import { describe, expect, it } from 'vitest';
import { kibText } from './Accounting';

describe('accounting sizes (the service reports KiB, as du -B K)', () => {
  it('picks KiB, MiB or GiB', () => {
    expect([undefined, 12, 1536, 5 * 1024 * 1024].map(kibText)).toEqual(['–', '12 KiB', '1.5 MiB', '5.00 GiB']);
  });
});
