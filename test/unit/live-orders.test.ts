import { expect } from 'chai';
import { applyEach, isLiveOrder, OrderBatcher, type LiveOrder } from '../../src/live/live-orders.js';
import type { Logger } from '../../src/logger.js';

const order = (id: string): LiveOrder => ({ kind: 'emit', rooms: ['feed:all'], event: 'kudos:removed', args: [{ id }] });

describe('live orders', () => {
  it('hands over the orders of one turn together, in order, once the turn is over', async () => {
    const handed: string[][] = [];
    const batcher = new OrderBatcher((orders) => handed.push(orders.map((o) => (o.args[0] as { id: string }).id)));
    batcher.add(order('a'));
    batcher.add(order('b'));
    expect(handed, 'not during the turn that sent them').to.deep.equal([]);
    await new Promise((ok) => setImmediate(ok));
    batcher.add(order('c'));
    await new Promise((ok) => setImmediate(ok));
    expect(handed).to.deep.equal([['a', 'b'], ['c']]);
  });

  it('flushes what is pending at once when asked (shutdown), and nothing twice', async () => {
    const handed: LiveOrder[][] = [];
    const batcher = new OrderBatcher((orders) => handed.push(orders));
    batcher.add(order('a'));
    batcher.flush();
    await new Promise((ok) => setImmediate(ok));
    expect(handed).to.have.length(1);
  });

  it('accepts only the orders this version can apply', () => {
    expect(isLiveOrder(order('a'))).to.equal(true);
    expect(isLiveOrder({ kind: 'cut', room: 'user:1', event: 'session:ended', args: [{ reason: 'x' }] })).to.equal(true);
    for (const bad of [
      null, 'x', [], {},
      { kind: 'emit', rooms: ['feed:all'], event: 'evil', args: [] },
      { kind: 'emit', rooms: 'feed:all', event: 'kudos:created', args: [] },
      { kind: 'emit', rooms: [''], event: 'kudos:created', args: [] },
      { kind: 'emit', rooms: ['feed:all'], event: 'kudos:created' },
      { kind: 'cut', room: 7, event: 'display:revoked', args: [] },
      { kind: 'drop', room: 'x', event: 'display:revoked', args: [] },
      { kind: 'emit', rooms: ['feed:all'], event: '__proto__', args: [] },
    ]) expect(isLiveOrder(bad), JSON.stringify(bad)).to.equal(false);
  });

  it('applies the other orders of a batch when one fails, and logs the failure', () => {
    const applied: string[] = [];
    const errors: string[] = [];
    const log = { error: (_obj: unknown, msg: string) => errors.push(msg) } as unknown as Logger;
    applyEach((o) => {
      const id = (o.args[0] as { id: string }).id;
      if (id === 'b') throw new Error('socket.io could not encode it');
      applied.push(id);
    }, [order('a'), order('b'), order('c')], log);
    expect(applied).to.deep.equal(['a', 'c']);
    expect(errors).to.deep.equal(['applying a live order failed']);
  });
});
