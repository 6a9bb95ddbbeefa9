/**
 * Bounded store of stateful legacy sessions: idle sessions are evicted after a TTL, every
 * session after an absolute lifetime, and the number of sessions is capped, so a long-lived
 * process does not grow without bound.
 *
 * A session with a request in flight is never idle; an open GET stream is not activity, so a
 * client that only holds a stream open still loses its session after the TTL (evicting it
 * closes the stream). Past its lifetime a session takes no new request and is evicted as soon
 * as its in-flight requests end. New sessions reserve a slot before their `initialize` runs,
 * so concurrent handshakes cannot overshoot the cap.
 */

/** Anything the store can close when it evicts it. */
export interface Closable {
  /** Releases the session's resources; must not throw synchronously. */
  close(): Promise<void>;
}

/** Why a session left the store. */
export type EvictionReason = 'idle' | 'lifetime' | 'shutdown';

/** Options of a {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Idle time (no request in flight; open streams do not count) after which a session is evicted, in milliseconds. */
  readonly ttlMs: number;
  /** Age after which a session is evicted however busy, in milliseconds; unlimited when omitted. */
  readonly maxLifetimeMs?: number;
  /** Most sessions held (and reserved) at once. */
  readonly maxSessions: number;
  /** Clock in milliseconds; `Date.now` by default (tests pass a fake one). */
  readonly now?: () => number;
  /** Called after each eviction (for logging); never with the session id. */
  readonly onEvict?: (reason: EvictionReason, error?: Error) => void;
}

interface Entry<T> {
  readonly value: T;
  readonly createdAt: number;
  lastSeen: number;
  active: number;
}

/** How a request uses its session: `stream` for a long-lived GET stream, which is not activity. */
export type SessionUse = 'request' | 'stream';

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
    const now = this.now();
    this.entries.set(id, { value, createdAt: now, lastSeen: now, active: 0 });
  }

  /**
   * Looks up a session for a request and, for a `request`, marks it busy until {@link release}.
   * A `stream` only counts as activity when it opens. An expired session (or one past its
   * lifetime) is reported as missing, and evicted unless requests are still in flight.
   */
  public acquire(id: string, use: SessionUse = 'request'): T | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) {
      return undefined;
    }
    const expiry = this.expiry(entry);
    if (expiry !== undefined || this.isPastLifetime(entry)) {
      if (expiry !== undefined) {
        void this.evict(id, entry, expiry);
      }
      return undefined;
    }
    if (use === 'request') {
      entry.active++;
    }
    entry.lastSeen = this.now();
    return entry.value;
  }

  /** Marks the end of a request started with {@link acquire} (nothing to do for a `stream`). */
  public release(id: string, use: SessionUse = 'request'): void {
    const entry = this.entries.get(id);
    if (entry !== undefined && use === 'request') {
      entry.active = Math.max(0, entry.active - 1);
      entry.lastSeen = this.now();
    }
  }

  /** Forgets a session that closed itself (client `DELETE`); does not close it again. */
  public forget(id: string): void {
    this.entries.delete(id);
  }

  /** Evicts every session idle past its TTL or past its lifetime; returns how many were evicted. */
  public sweep(): number {
    let evicted = 0;
    for (const [id, entry] of this.entries) {
      const expiry = this.expiry(entry);
      if (expiry !== undefined) {
        void this.evict(id, entry, expiry);
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

  /** Why an entry must be evicted now, if it must: never while a request is in flight. */
  private expiry(entry: Entry<T>): EvictionReason | undefined {
    if (entry.active > 0) {
      return undefined;
    }
    if (this.isPastLifetime(entry)) {
      return 'lifetime';
    }
    return this.now() - entry.lastSeen >= this.options.ttlMs ? 'idle' : undefined;
  }

  private isPastLifetime(entry: Entry<T>): boolean {
    return this.options.maxLifetimeMs !== undefined && this.now() - entry.createdAt >= this.options.maxLifetimeMs;
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
