import { migration001 } from './001_initial';
import { migration002 } from './002_jobs';
import { migration003 } from './003_catalogue_source_range';
import { migration004 } from './004_job_details';
import { migration005 } from './005_session_definitions';
import { migration006 } from './006_catalogue_import_options';
import type { Migration } from './types';

/** Every schema step in order. Adding one = a new numbered file + one line here. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006];

export type { Migration } from './types';
