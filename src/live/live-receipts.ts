import type { Socket } from 'socket.io';

// A replay sends at most 500 kudos, and a reconnecting client asks within moments of connecting.
const MAX_IDS = 500;
const RECORD_MS = 10_000;

/**
 * The kudos a connection received live before it asked to catch up (`feed:since`), so the replay
 * does not send them a second time.
 *
 * A socket joins the feed rooms as it connects and asks what it missed a moment later. A kudos
 * committed just before can reach it both ways: live (from another process, a moment after its
 * commit) and in the replay. Recording sees every packet
 * socket.io writes to this socket, broadcasts included, and stops at the first catch-up or after
 * ten seconds: a screen left running for weeks keeps nothing.
 */
export class LiveReceipts {
  private ids: Set<string> | null = new Set();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly listener = (event: string, payload?: { id?: unknown }) => {
    if (event === 'kudos:created' && typeof payload?.id === 'string' && this.ids && this.ids.size < MAX_IDS) this.ids.add(payload.id);
  };

  constructor(private readonly socket: Socket) {
    socket.onAnyOutgoing(this.listener);
    this.timer = setTimeout(() => this.stop(), RECORD_MS);
    this.timer.unref();
    socket.once('disconnect', () => this.stop());
  }

  /** Whether this kudos already went out to the connection. */
  has(id: string): boolean {
    return this.ids?.has(id) ?? false;
  }

  stop(): void {
    if (!this.ids) return;
    this.ids = null;
    clearTimeout(this.timer);
    this.socket.offAnyOutgoing(this.listener);
  }
}
