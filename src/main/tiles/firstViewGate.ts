/**
 * Decides when a cold pyramid build may start. The build saturates a core and the disk for about a
 * second per GB; started at the same moment as the viewer's first burst of (preview) tile requests it
 * would double their latency. So the build waits until the first view is served — tile requests have
 * gone quiet — or until no viewer asked for tiles shortly after open (CLI, scripts), or a hard cap.
 */
export interface FirstViewGateOptions {
  /** Start once no tile request has been in flight for this long, after at least one was served. */
  quietMs?: number;
  /** Start if nobody requests a tile within this time of opening. */
  noRequestMs?: number;
  /** Start at the latest after this long, whatever the requests do. */
  maxMs?: number;
}

export class FirstViewGate {
  /** Resolves when the build may start. */
  readonly open: Promise<void>;
  private release!: () => void;
  private inFlight = 0;
  private served = 0;
  private lastActivity = performance.now();
  private readonly started = performance.now();
  private timer: NodeJS.Timeout | null = null;
  private done = false;

  constructor(private readonly o: FirstViewGateOptions = {}) {
    this.open = new Promise<void>((resolve) => (this.release = resolve));
    this.timer = setInterval(() => this.check(), 20);
    this.timer.unref?.();
  }

  requestStarted(): void {
    this.inFlight++;
    this.lastActivity = performance.now();
  }

  requestFinished(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.served++;
    this.lastActivity = performance.now();
    this.check();
  }

  /** Let the build start now (image closed, tests). */
  releaseNow(): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearInterval(this.timer);
    this.release();
  }

  private check(): void {
    const now = performance.now();
    const { quietMs = 150, noRequestMs = 400, maxMs = 1500 } = this.o;
    const quiet = this.served > 0 && this.inFlight === 0 && now - this.lastActivity >= quietMs;
    const nobody = this.served === 0 && this.inFlight === 0 && now - this.started >= noRequestMs;
    if (quiet || nobody || now - this.started >= maxMs) this.releaseNow();
  }
}
