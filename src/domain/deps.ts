import type { Store } from '../store/store.js';
import type { KudosRecord } from './types.js';

export interface Clock {
  /** epoch milliseconds */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Why a user's sessions ended, as the live `session:ended` event says it. */
export type SessionEndReason = 'credentials_changed' | 'signed_out';

/** Why a display's connections are cut: `display:revoked` or `display:changed` says so first. */
export type DisplayCutReason = 'revoked' | 'changed';

/**
 * Port through which use cases announce committed changes. Implemented by src/live (socket.io,
 * in-process or over Redis); use cases call it only after the store acknowledged the write.
 */
export interface LivePublisher {
  kudosCreated(k: KudosRecord): void;
  kudosUpdated(k: KudosRecord): void;
  kudosRemoved(k: KudosRecord): void;
  /** Cut every live connection of this user: deactivated, password or role changed, or signed out. */
  disconnectUser(userId: string, reason?: SessionEndReason): void;
  /**
   * Cut every live connection of this display: revoked (the wall says so and stops), or changed
   * (its team: the wall reconnects by itself, and its new connection gets the new scope).
   */
  disconnectDisplay(displayId: string, reason?: DisplayCutReason): void;
}

export const silentLive: LivePublisher = {
  kudosCreated() {},
  kudosUpdated() {},
  kudosRemoved() {},
  disconnectUser() {},
  disconnectDisplay() {},
};

export interface Deps {
  store: Store;
  clock: Clock;
  live: LivePublisher;
}

export const isoAt = (ms: number): string => new Date(ms).toISOString();
