import { io as connect, type Socket } from 'socket.io-client';

export interface SeenKudos {
  id: string;
  message: string;
  visibility: string;
}

type Ack = { ok: boolean; replayed?: number; hasMore?: boolean; error?: { code: string } };

/**
 * A socket.io client that records what it saw, for multi-process tests. Websocket only and no
 * automatic reconnection: the test decides where a client goes when its server dies.
 */
export class LiveClient {
  readonly kudos: SeenKudos[] = [];
  readonly events: string[] = [];
  disconnected: { at: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket, readonly label: string) {
    socket.on('kudos:created', (k: SeenKudos) => {
      this.kudos.push({ id: k.id, message: k.message, visibility: k.visibility });
      this.wake();
    });
    socket.on('display:revoked', () => this.note('display:revoked'));
    socket.on('display:changed', () => this.note('display:changed'));
    socket.on('session:ended', () => this.note('session:ended'));
    socket.on('disconnect', (reason) => {
      this.disconnected = { at: Date.now(), reason };
      this.wake();
    });
  }

  /** Connects and resolves once the server accepted the handshake; rejects with its error message. */
  static open(url: string, token: string, label = url): Promise<LiveClient> {
    const socket = connect(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true, timeout: 5_000 });
    const client = new LiveClient(socket, label);
    return new Promise((ok, fail) => {
      socket.once('connect', () => ok(client));
      socket.once('connect_error', (err) => {
        socket.close();
        fail(err);
      });
    });
  }

  /** The first recorded kudos matching `pred`, waiting up to `timeoutMs` for it. */
  async waitForKudos(pred: (k: SeenKudos) => boolean, timeoutMs = 3_000): Promise<SeenKudos> {
    await this.until(() => this.kudos.some(pred), timeoutMs, 'a matching kudos');
    return this.kudos.find(pred) as SeenKudos;
  }

  async waitForDisconnect(timeoutMs = 3_000): Promise<{ at: number; reason: string }> {
    await this.until(() => this.disconnected !== null, timeoutMs, 'disconnect');
    return this.disconnected as { at: number; reason: string };
  }

  /** Asks the server to replay what this client missed since `id`; resolves with the ack. */
  since(id: string, timeoutMs = 5_000): Promise<Ack> {
    return this.socket.timeout(timeoutMs).emitWithAck('feed:since', { id }) as Promise<Ack>;
  }

  close(): void {
    this.socket.close();
  }

  private note(event: string): void {
    this.events.push(event);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.label}: no ${what} within ${timeoutMs} ms (saw ${this.kudos.length} kudos, events ${this.events.join(',') || 'none'})`);
      await new Promise<void>((ok) => {
        const timer = setTimeout(ok, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          ok();
        });
      });
    }
  }
}

/** Resolves with the connect_error message a handshake gets (the test expects a refusal). */
export async function refusal(url: string, token: string): Promise<string> {
  try {
    const c = await LiveClient.open(url, token);
    c.close();
    return 'connected';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
