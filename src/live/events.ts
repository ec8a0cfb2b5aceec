import type { KudosView } from '../http/presenters.js';

/** The typed live contract: a wrong payload fails to compile. */
export interface ServerToClientEvents {
  'kudos:created': (k: KudosView) => void;
  'kudos:updated': (u: { id: string; reactions: Record<string, number>; commentCount: number }) => void;
  'kudos:removed': (r: { id: string }) => void;
  'display:revoked': () => void;
  /** The display's team was changed: the server disconnects it next; reconnect to get the new scope. */
  'display:changed': () => void;
  'session:ended': (r: { reason: string }) => void;
}

export type Ack = (result: { ok: true; [k: string]: unknown } | { ok: false; error: { code: string; message: string } }) => void;

export interface ClientToServerEvents {
  'feed:subscribe': (arg: unknown, ack?: Ack) => void;
  'feed:since': (arg: unknown, ack?: Ack) => void;
}

export interface SocketData {
  kind: 'user' | 'display';
  userId: string | null;
  displayId: string | null;
  privileged: boolean;
  /** Display scope, or the team a user narrowed the stream to; null = whole org. */
  team: string | null;
  forcedTeam: string | null;
  /** When the user's token expires (ms since the epoch); the connection ends then. Null for displays. */
  expiresAtMs: number | null;
}
