/** What the app shows of a caesar-rest service (caesar-rest-api.md §3.12). */

/** The caller's usage on a caesar-rest service (GET /accounting): sizes in KiB, runtimes in seconds. */
export interface CaesarRestAccounting {
  /** The profile asked. */
  profile: string;
  /** When the service computed it (HTTP date string, UTC). */
  timestamp: string;
  /** Uploaded files, KiB (absent when the user has none). */
  datasizeKiB?: number;
  /** Job folders, KiB. */
  jobsizeKiB?: number;
  njobs: number;
  completed: number;
  failed: number;
  aborted: number;
  pending: number;
  running: number;
  /** Any other state (CANCELED, TIMED-OUT, CLEARED, ...). */
  other: number;
  runtimeS: number;
  completedRuntimeS: number;
}
