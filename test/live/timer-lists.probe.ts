/**
 * Run by live-bookkeeping.test.ts as a process of its own:
 *   node --import tsx test/live/timer-lists.probe.ts <drops>   → prints {"before":n,"after":n,"sockets":n}
 * It counts Node's timer lists around <drops> user connections lost to a network drop, with a heap
 * snapshot before and after. In a process of its own the heap is the server's alone and a
 * snapshot takes about a second; in the test run's process (every suite loaded) two snapshots took
 * over a minute on a busy machine.
 */
import { Api, buildUser } from '../support/api.js';
import { countObjects } from '../support/heap-count.js';
import { connectLive, dropTransport } from '../support/live-client.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/until.js';

const drops = Number(process.argv[2] ?? 40);
const server = await startTestServer();
try {
  const admin = await new Api(server.url).loginAdmin();
  const ana = await buildUser(admin, { team: 'Support' });
  const nsp = server.io.of('/');
  const lists = async () => (await countObjects(['TimersList'])).TimersList ?? 0;
  const before = await lists();
  for (let i = 0; i < drops; i++) {
    const client = await connectLive(server.url, ana.api.token as string);
    await client.socket.timeout(5000).emitWithAck('feed:since', { createdAt: new Date().toISOString() });
    dropTransport(client.socket);
    await until(() => nsp.sockets.size === 0, 5000, 'the server to see the drop');
  }
  const after = await lists();
  process.stdout.write(`${JSON.stringify({ before, after, sockets: nsp.sockets.size })}\n`);
} finally {
  await server.close();
}
