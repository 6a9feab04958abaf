/**
 * Zod-free name lists of the contract, for code that must stay tiny (the sandboxed preload).
 * api.ts stays the source of truth for methods; test/contract/names.test.ts checks both lists agree.
 */
import type { MethodName } from './api';
import { EVENT_NAMES, type EventName } from './events';

/** Every method of the table in api.ts, same order. Add a line here when you add a method there. */
export const METHOD_NAME_LIST = [
  'app.info',
  'fits.open',
  'fits.close',
  'image.pixelValue',
  'files.list',
  'app.requestOpen',
  'recent.list',
  'recent.clear',
  'catalogue.import',
  'catalogue.list',
  'catalogue.remove',
  'catalogue.columns',
  'catalogue.query',
  'catalogue.filterIds',
  'catalogue.source',
  'labels.set',
  'labels.undo',
  'labels.redo',
  'labels.vocabularies',
  'review.queue',
  'catalogue.export',
  'catalogue.regionFilter',
  'jobs.apps',
  'jobs.profiles',
  'jobs.submit',
  'jobs.list',
  'jobs.cancel',
  'jobs.logs',
  'jobs.openResult',
  'session.save',
  'session.load',
  'subsets.list',
  'subsets.save',
  'subsets.remove',
  'columns.list',
  'columns.define',
  'columns.remove',
  'catalogue.csvPreview',
  'jobs.presets',
  'jobs.savePreset',
  'jobs.deletePreset',
  'jobs.profile',
  'jobs.saveProfile',
  'jobs.deleteProfile',
  'jobs.testProfile',
  'jobs.accounting',
  'jobs.remoteApps',
] as const satisfies readonly MethodName[];

export { EVENT_NAMES };

export function isContractMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (METHOD_NAME_LIST as readonly string[]).includes(name);
}

export function isContractEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}
