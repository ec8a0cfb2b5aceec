import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of Shine that can make every connection through it go silent, as a TV
 * losing its Wi-Fi does: the server's side of each connection stays open, nothing arrives on it
 * and nothing it sends is read, no FIN, no RST. Only the server's own ping timeout can tell the
 * connection is gone; meanwhile its broadcasts pile up unread.
 */
export class BlackholeProxy {
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  /** While down, a new connection is refused too: a client cannot get round the silence by reconnecting (a new poll). */
  private down = false;

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(target: URL): Promise<BlackholeProxy> {
    let proxy: BlackholeProxy | null = null;
    const server = createServer((client) => {
      if (proxy?.down) return void client.destroy();
      const upstream = connect(Number(target.port), target.hostname);
      const pair = { client, upstream };
      proxy?.pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const forget = () => {
        client.destroy();
        upstream.destroy();
        proxy?.pairs.delete(pair);
      };
      client.on('error', forget);
      upstream.on('error', forget);
      upstream.on('close', forget);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('the proxy is not listening');
    proxy = new BlackholeProxy(server, `http://127.0.0.1:${address.port}`);
    return proxy;
  }

  /**
   * Every connection open now goes silent: the client's side is destroyed (the client sees a
   * drop), the server's side is neither read nor written nor closed until the server closes it.
   */
  silenceAll(): void {
    this.down = true;
    for (const { client, upstream } of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      upstream.pause();
      client.destroy();
    }
  }

  /** The network is back for new connections; the silenced ones stay silent. */
  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }
}
