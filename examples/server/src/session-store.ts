/**
 * Bounded store of stateful legacy sessions: idle sessions are evicted after a TTL and the
 * number of sessions is capped, so a long-lived process does not grow without bound.
 *
 * A session with a request in flight (including an open GET stream) is never idle. New
 * sessions reserve a slot before their `initialize` runs, so concurrent handshakes cannot
 * overshoot the cap.
 */

/** Anything the store can close when it evicts it. */
export interface Closable {
  /** Releases the session's resources; must not throw synchronously. */
  close(): Promise<void>;
}

/** Why a session left the store. */
export type EvictionReason = 'idle' | 'shutdown';

/** Options of a {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Idle time after which a session is evicted, in milliseconds. */
  readonly ttlMs: number;
  /** Most sessions held (and reserved) at once. */
  readonly maxSessions: number;
  /** Clock in milliseconds; `Date.now` by default (tests pass a fake one). */
  readonly now?: () => number;
  /** Called after each eviction (for logging); never with the session id. */
  readonly onEvict?: (reason: EvictionReason, error?: Error) => void;
}

interface Entry<T> {
  readonly value: T;
  lastSeen: number;
  active: number;
}

/** Sessions keyed by `Mcp-Session-Id`, with idle TTL eviction and a cap. */
export class SessionStore<T extends Closable> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;
  private reserved = 0;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: SessionStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Number of live sessions (reservations not included). */
  public get size(): number {
    return this.entries.size;
  }

  /**
   * Reserves a slot for a new session, after evicting idle ones.
   *
   * @returns `false` when the store is full: the caller must refuse the new session
   */
  public tryReserve(): boolean {
    this.sweep();
    if (this.entries.size + this.reserved >= this.options.maxSessions) {
      return false;
    }
    this.reserved++;
    return true;
  }

  /** Gives back a reservation whose session was never created (failed `initialize`). */
  public cancelReservation(): void {
    this.reserved = Math.max(0, this.reserved - 1);
  }

  /** Turns a reservation into a live session. */
  public commit(id: string, value: T): void {
    this.cancelReservation();
    this.entries.set(id, { value, lastSeen: this.now(), active: 0 });
  }

  /**
   * Looks up a session for a request and marks it busy until {@link release}.
   * An expired session is evicted and reported as missing.
   */
  public acquire(id: string): T | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) {
      return undefined;
    }
    if (this.isExpired(entry)) {
      void this.evict(id, entry, 'idle');
      return undefined;
    }
    entry.active++;
    entry.lastSeen = this.now();
    return entry.value;
  }

  /** Marks the end of a request started with {@link acquire}. */
  public release(id: string): void {
    const entry = this.entries.get(id);
    if (entry !== undefined) {
      entry.active = Math.max(0, entry.active - 1);
      entry.lastSeen = this.now();
    }
  }

  /** Forgets a session that closed itself (client `DELETE`); does not close it again. */
  public forget(id: string): void {
    this.entries.delete(id);
  }

  /** Evicts every idle session past its TTL; returns how many were evicted. */
  public sweep(): number {
    let evicted = 0;
    for (const [id, entry] of this.entries) {
      if (this.isExpired(entry)) {
        void this.evict(id, entry, 'idle');
        evicted++;
      }
    }
    return evicted;
  }

  /** Calls {@link sweep} periodically without keeping the process alive. */
  public startSweeper(intervalMs: number): void {
    this.stopSweeper();
    this.sweeper = setInterval(() => this.sweep(), intervalMs);
    this.sweeper.unref();
  }

  /** Stops the periodic sweep. */
  public stopSweeper(): void {
    if (this.sweeper !== undefined) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  /** Values of all live sessions (for shutdown). */
  public values(): T[] {
    return [...this.entries.values()].map((entry) => entry.value);
  }

  /** Closes and removes every session (shutdown). */
  public async closeAll(): Promise<void> {
    this.stopSweeper();
    const closing = [...this.entries].map(([id, entry]) => this.evict(id, entry, 'shutdown'));
    await Promise.all(closing);
  }

  private isExpired(entry: Entry<T>): boolean {
    return entry.active === 0 && this.now() - entry.lastSeen >= this.options.ttlMs;
  }

  private async evict(id: string, entry: Entry<T>, reason: EvictionReason): Promise<void> {
    this.entries.delete(id);
    try {
      await entry.value.close();
      this.options.onEvict?.(reason);
    } catch (error) {
      this.options.onEvict?.(reason, error as Error);
    }
  }
}
