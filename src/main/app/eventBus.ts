import type { EventMap, EventName } from '../../shared/contract/events';

export type AnyEventListener = <K extends EventName>(name: K, payload: EventMap[K]) => void;

/** Typed fan-out of contract events to every connected transport (IPC windows, SSE clients). */
export class EventBus {
  private readonly listeners = new Set<AnyEventListener>();

  emit<K extends EventName>(name: K, payload: EventMap[K]): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        // A broken listener (closed window, dead socket) must not stop the others.
      }
    }
  }

  /** Subscribe to every event; returns the unsubscribe function. */
  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
