/** The pure list and date logic behind the pages, without a browser. */
import { expect } from 'chai';
import { dayAfter, dayStart, lastDayOf } from '../../src/web/hr/period-dates.js';
import { encodeCursor } from '../../src/domain/cursor.js';
import { feedTag } from '../../src/domain/cursor-tag.js';
import { applyUpdate, capFeed, cursorAfter, matchesFilter, mergeKudos, reconcileFirstPage, removeKudos, sameFilter } from '../../src/web/lib/kudos-list.js';
import { HeardMeanwhile } from '../../src/web/lib/heard-meanwhile.js';
import { safeNext } from '../../src/web/lib/session.js';
import { ApiError } from '../../src/web/lib/api.js';
import { describeError, waitText } from '../../src/web/lib/errors.js';
import { filterScores } from '../../src/web/lib/score-format.js';
import type { KudosView } from '../../src/web/lib/types.js';

const k = (id: string, createdAt: string, extra: Partial<KudosView> = {}): KudosView => ({
  id,
  giver: { id: 'g', name: 'Gia', team: 'Support' },
  recipients: [{ id: 'r', name: 'Ray', team: 'Sales' }],
  behaviours: [{ key: 'empathize', name: 'Empathize' }],
  message: id,
  visibility: 'public',
  createdAt,
  reactions: {},
  myReactions: [],
  commentCount: 0,
  ...extra,
});

describe('web: kudos list logic', () => {
  const a = k('01A', '2025-01-01T10:00:00.000Z');
  const b = k('01B', '2025-01-01T11:00:00.000Z');
  const c = k('01C', '2025-01-01T11:00:00.000Z');

  it('merges newest first, dropping ids it already has (live event + replay + page)', () => {
    const list = mergeKudos([b], [a, c, b, c]);
    expect(list.map((x) => x.id)).to.deep.equal(['01C', '01B', '01A']);
  });

  it('keeps at most `max` items (the TV wall)', () => {
    expect(mergeKudos([a], [b, c], 2).map((x) => x.id)).to.deep.equal(['01C', '01B']);
  });

  it('writes the very cursor the API would give after a kudos (so "Load more" continues there)', () => {
    expect(cursorAfter(c, {})).to.equal(encodeCursor({ key: c.createdAt, id: c.id }, feedTag({})));
    // Tagged with the filter as the server tags it: the API refuses another filter's cursor.
    const f = { team: 'Équipe نجوم', recipient: 'U1', behaviour: 'empathize' };
    expect(cursorAfter(c, f)).to.equal(encodeCursor({ key: c.createdAt, id: c.id }, feedTag({ ...f, giver: undefined, since: undefined })));
    expect(cursorAfter(c, f)).not.to.equal(cursorAfter(c, { ...f, team: 'Support' }));
  });

  it('caps a live-grown feed, dropping the oldest and continuing right after the last card kept', () => {
    const list = [c, b, a];
    expect(capFeed(list, 3, {})).to.deep.equal({ items: list, next: null });
    const capped = capFeed(list, 2, {});
    expect(capped.items.map((x) => x.id)).to.deep.equal(['01C', '01B']);
    expect(capped.next).to.equal(cursorAfter(b, {}));
  });

  it('applies live reaction updates without touching my own reactions', () => {
    const mine = k('01D', '2025-01-02T00:00:00.000Z', { myReactions: ['👏'], reactions: { '👏': 1 } });
    const [u] = applyUpdate([mine], { id: '01D', reactions: { '👏': 2, '🎉': 1 }, commentCount: 3 });
    expect(u?.reactions).to.deep.equal({ '👏': 2, '🎉': 1 });
    expect(u?.myReactions).to.deep.equal(['👏']);
    expect(u?.commentCount).to.equal(3);
  });

  it('reconciles a reloaded first page: fresh counts, removals gone, live arrivals and older kept', () => {
    const old = k('01O', '2025-01-01T09:00:00.000Z');
    const live = k('01L', '2025-01-01T12:00:00.000Z');
    const fresh = { ...b, reactions: { '🎉': 4 } };
    const held = new Set(['01C', '01B', '01A', '01O']);
    // c (the newest held) was removed while offline; live came in during the request; a and old are
    // older than the page (loaded with "load more").
    const list = reconcileFirstPage([live, c, b, a, old], [fresh], false, held);
    expect(list.map((x) => x.id)).to.deep.equal(['01L', '01B', '01A', '01O']);
    expect(list[1]?.reactions).to.deep.equal({ '🎉': 4 });
    // A page without a next cursor is the whole feed: nothing older survives.
    expect(reconcileFirstPage([live, c, b, a], [fresh], true, held).map((x) => x.id)).to.deep.equal(['01L', '01B']);
    expect(reconcileFirstPage([b, a], [], true, held)).to.deep.equal([]);
    expect(reconcileFirstPage([live, b], [b], false, held, 1).map((x) => x.id)).to.deep.equal(['01L']);
  });

  it('freshens a page with the removals and updates heard while it was being fetched, and only those', () => {
    const live = new HeardMeanwhile();
    live.removed('01A'); // before the request went out: the page itself is right about it
    const first = live.listen();
    live.removed('01B');
    live.updated({ id: '01C', reactions: { clap: 1 }, commentCount: 1 });
    live.updated({ id: '01C', reactions: { clap: 2 }, commentCount: 3 });
    const summary = (list: KudosView[]) => list.map((x) => [x.id, x.reactions, x.commentCount]);
    expect(summary(first.freshen([c, b, a]))).to.deep.equal([['01C', { clap: 2 }, 3], ['01A', {}, 0]]);
    first.end();
    const second = live.listen();
    live.removed('01C');
    expect(summary(second.freshen([c, b, a]))).to.deep.equal([['01B', {}, 0], ['01A', {}, 0]]);
    // An ended request hears nothing more.
    expect(summary(first.freshen([c, b, a]))).to.deep.equal([['01C', { clap: 2 }, 3], ['01A', {}, 0]]);
  });

  it('keeps the kudos created while a page was out, and tells them from the ones held before it went out', () => {
    const live = new HeardMeanwhile();
    live.created(a); // before the request went out: on screen, and the page answers for it
    const listening = live.listen();
    live.created(b);
    live.created(c);
    live.removed('01C');
    expect(listening.freshen(listening.created()).map((x) => x.id)).to.deep.equal(['01B']);
    expect([...listening.heldIn([c, b, a])]).to.deep.equal(['01A']);
    listening.end();
    live.created(k('01D', '2025-01-02T10:00:00.000Z'));
    expect(listening.created().map((x) => x.id)).to.deep.equal(['01B', '01C']);
  });

  it('tells whether two filters ask for the same kudos, whatever the person is called', () => {
    expect(sameFilter({}, { team: undefined })).to.equal(true);
    const named = { recipient: 'r', personName: 'Ray' }; // the feed's FilterState
    expect(sameFilter(named, { recipient: 'r' })).to.equal(true);
    expect(sameFilter({ recipient: 'r' }, { giver: 'r' })).to.equal(false);
    expect(sameFilter({ team: 'Sales' }, {})).to.equal(false);
    expect(sameFilter({ behaviour: 'empathize' }, { behaviour: 'be-fair' })).to.equal(false);
  });

  it('removes a kudos by id and leaves the list alone otherwise', () => {
    const list = [a, b];
    expect(removeKudos(list, '01A').map((x) => x.id)).to.deep.equal(['01B']);
    expect(removeKudos(list, 'nope')).to.equal(list);
  });

  it('matches live kudos against the feed filters as the API does', () => {
    expect(matchesFilter(a, {})).to.equal(true);
    expect(matchesFilter(a, { team: 'Sales' })).to.equal(true);
    expect(matchesFilter(a, { team: 'Support' })).to.equal(true);
    expect(matchesFilter(a, { team: 'Billing' })).to.equal(false);
    expect(matchesFilter(a, { recipient: 'r' })).to.equal(true);
    expect(matchesFilter(a, { giver: 'r' })).to.equal(false);
    expect(matchesFilter(a, { behaviour: 'apologize' })).to.equal(false);
  });
});

describe('web: where to go after signing in', () => {
  const origin = 'https://shine.example';
  it('keeps same-origin paths and refuses everything else', () => {
    expect(safeNext('/profile?id=1#top', origin)).to.equal('/profile?id=1#top');
    expect(safeNext('/hr#audit', origin)).to.equal('/hr#audit');
    for (const bad of [null, '', 'https://evil.example/', '//evil.example/', '/\\evil.example', '/\t/evil.example/', '/\n/evil.example/', '\t//evil.example', '/login?next=/x', 'javascript:alert(1)']) {
      expect(safeNext(bad, origin), JSON.stringify(bad)).to.equal('/');
    }
  });
});

describe('web: period dates', () => {
  it('turns inclusive calendar days into the [start, end) UTC range the API stores', () => {
    expect(dayStart('2025-07-01')).to.equal('2025-07-01T00:00:00.000Z');
    expect(dayAfter('2025-07-31')).to.equal('2025-08-01T00:00:00.000Z');
    expect(lastDayOf('2025-08-01T00:00:00.000Z').slice(0, 10)).to.equal('2025-07-31');
  });
});

describe('web: rate-limit wording', () => {
  it('says how long to wait in the unit a person reads it in', () => {
    expect(waitText(1)).to.equal('1 second');
    expect(waitText(45)).to.equal('45 seconds');
    expect(waitText(89)).to.equal('89 seconds');
    expect(waitText(90)).to.equal('2 minutes');
    expect(waitText(823)).to.equal('14 minutes');
    expect(waitText(5399)).to.equal('90 minutes');
    expect(waitText(5400)).to.equal('2 hours');
  });

  it('words a 429 for sign-in and for kudos alike, with the wait', () => {
    expect(describeError(new ApiError(429, 'rate_limited', 'Too many requests; try again later.', [], 823))).to.equal('That was a lot in a short time. Try again in 14 minutes.');
    expect(describeError(new ApiError(429, 'rate_limited', 'x', [], null))).to.equal('That was a lot in a short time. Try again shortly.');
  });
});

describe('web: score filters', () => {
  it('find people and teams by any part of their name, accents folded as the directory does', () => {
    const rows = [{ user: { name: 'Émile Zola', team: 'Support' } }, { user: { name: 'Renée Dubois', team: 'Équipe B' } }, { user: { name: 'Ann Lee', team: 'Ops' } }];
    const names = (text: string) => filterScores(rows, text).map((r) => r.user.name);
    expect(names('emile')).to.deep.equal(['Émile Zola']);
    expect(names('RENEE')).to.deep.equal(['Renée Dubois']);
    expect(names('equipe')).to.deep.equal(['Renée Dubois']);
    expect(names('  ')).to.have.length(3);
    expect(names('zzz')).to.deep.equal([]);
  });
});
