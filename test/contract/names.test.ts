import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, isMethodName } from '../../src/shared/contract/api';
import { EVENT_NAMES } from '../../src/shared/contract/events';
import { METHOD_NAME_LIST, EVENT_NAMES as LISTED_EVENTS, isContractEventName, isContractMethodName } from '../../src/shared/contract/names';

describe('zod-free name lists (used by the preload)', () => {
  it('list exactly the methods of the table in api.ts', () => {
    expect([...METHOD_NAME_LIST]).toEqual(METHOD_NAMES);
    expect(LISTED_EVENTS).toBe(EVENT_NAMES);
  });

  it('agree with api.ts on what is a method name, including prototype keys', () => {
    for (const name of [...METHOD_NAMES, 'toString', '__proto__', 'nope', '', 'tiles.ready']) {
      expect(isContractMethodName(name), name).toBe(isMethodName(name));
    }
    expect(isContractMethodName(undefined)).toBe(false);
    expect(isContractEventName('tiles.ready')).toBe(true);
    expect(isContractEventName('app.info')).toBe(false);
  });
});
