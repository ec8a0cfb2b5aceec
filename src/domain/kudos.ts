import { audit } from './audit.js';
import { decodeCursor, encodeCursor, timePosition } from './cursor.js';
import { cursorTag, feedTag } from './cursor-tag.js';
import { isoAt, type Deps } from './deps.js';
import { ConflictError, ForbiddenError, IdempotencyKeyReusedError, NotFoundError, RuleViolationError } from './errors.js';
import { newId } from './ids.js';
import type { FeedQuery, PostKudosInput } from './schemas/kudos.schema.js';
import type { Comment, FeedFilter, KudosRecord, User, Viewer } from './types.js';
import { canSee, viewerOfUser } from './visibility.js';

export const GIVER_DELETE_WINDOW_MS = 15 * 60 * 1000;

/** The allowance window: the period containing now, else the current calendar month (UTC). */
async function allowanceWindow(deps: Deps, nowMs: number): Promise<{ max: number; from: string; to: string } | null> {
  const rules = await deps.store.getRules();
  const max = rules?.allowancePerPeriod ?? null;
  if (max === null) return null;
  const now = isoAt(nowMs);
  const [period] = await deps.store.overlappingPeriods(now, isoAt(nowMs + 1));
  if (period) return { max, from: period.startsAt, to: period.endsAt };
  const d = new Date(nowMs);
  return {
    max,
    from: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString(),
    to: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString(),
  };
}

async function checkParticipants(deps: Deps, giver: User, input: PostKudosInput): Promise<User[]> {
  if (input.recipientIds.includes(giver.id)) {
    throw new RuleViolationError('self_kudos', 'You cannot give kudos to yourself.', [
      { path: `recipientIds.${input.recipientIds.indexOf(giver.id)}`, message: 'that is you' },
    ]);
  }
  const [found, catalog] = await Promise.all([deps.store.getUsersByIds(input.recipientIds), deps.store.listBehaviours()]);
  const users = new Map(found.map((u) => [u.id, u]));
  const bad = input.recipientIds
    .map((id, i) => ({ id, i, u: users.get(id) }))
    .filter((r) => !r.u || !r.u.active)
    .map((r) => ({ path: `recipientIds.${r.i}`, message: r.u ? 'this person is no longer active' : 'no such person' }));
  if (bad.length > 0) throw new RuleViolationError('recipient_inactive', 'Every recipient must be an active colleague.', bad);
  const behaviours = new Map(catalog.map((b) => [b.key, b]));
  const badB = input.behaviourKeys
    .map((key, i) => ({ key, i, b: behaviours.get(key) }))
    .filter((r) => !r.b || !r.b.active)
    .map((r) => ({ path: `behaviourKeys.${r.i}`, message: r.b ? 'this behaviour is retired' : 'no such behaviour' }));
  if (badB.length > 0) throw new RuleViolationError('behaviour_inactive', 'Every behaviour must be active in the catalog.', badB);
  return input.recipientIds.map((id) => users.get(id) as User);
}

/** At most `max` kudos per giver within any `windowMs`: a flood guard, checked inside the write. */
export interface KudosRateLimit {
  max: number;
  windowMs: number;
}

/**
 * The kudos a retry asks for again, or 422 when the same key comes with another kudos: answering
 * with the first would tell the client that what it sent now was posted.
 */
function replayOf(existing: KudosRecord, input: PostKudosInput): KudosRecord {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const asked =
    existing.message === input.message &&
    existing.visibility === input.visibility &&
    same(existing.recipients.map((r) => r.id), input.recipientIds) &&
    same(existing.behaviours.map((b) => b.key), input.behaviourKeys);
  if (!asked) throw new IdempotencyKeyReusedError();
  return existing;
}

/**
 * POST /kudos. With an Idempotency-Key the kudos carries the key in the same atomic write, so a
 * retry (even after a crash between write and answer) finds the first kudos instead of a twin.
 */
export async function postKudos(
  deps: Deps, giver: User, input: PostKudosInput, idempotencyKey: string | null, rateLimit: KudosRateLimit | null = null,
): Promise<{ kudos: KudosRecord; replayed: boolean }> {
  if (idempotencyKey) {
    const existing = await deps.store.getKudosByIdempotencyKey(giver.id, idempotencyKey);
    if (existing) return { kudos: replayOf(existing, input), replayed: true };
  }
  const nowMs = deps.clock.now();
  // Together: independent reads, and a store can answer reads started at once more cheaply.
  const [recipients, allowance] = await Promise.all([checkParticipants(deps, giver, input), allowanceWindow(deps, nowMs)]);
  const teams = [...new Set([giver.team, ...recipients.map((r) => r.team)])];
  let kudos: KudosRecord;
  try {
    kudos = await deps.store.createKudos(
      {
        id: newId(nowMs),
        giverId: giver.id,
        recipientIds: input.recipientIds,
        behaviourKeys: input.behaviourKeys,
        message: input.message,
        visibility: input.visibility,
        createdAt: isoAt(nowMs),
        teams,
        idempotencyKey,
      },
      {
        allowance,
        // The new kudos is stamped nowMs, so [now - window, now] holds what it is counted with.
        rate: rateLimit && { max: rateLimit.max, from: isoAt(nowMs - rateLimit.windowMs), to: isoAt(nowMs + 1) },
      },
    );
  } catch (err) {
    if (err instanceof ConflictError && err.field === 'idempotencyKey' && idempotencyKey) {
      const existing = await deps.store.getKudosByIdempotencyKey(giver.id, idempotencyKey);
      if (existing) return { kudos: replayOf(existing, input), replayed: true };
    }
    throw err;
  }
  deps.live.kudosCreated(kudos);
  return { kudos, replayed: false };
}

/** A kudos the viewer may see, or 404 (never revealing that a private one exists). */
export async function getVisibleKudos(deps: Deps, viewer: Viewer, id: string): Promise<KudosRecord> {
  const k = await deps.store.getKudos(id, viewer.userId);
  if (!k || !canSee(viewer, k)) throw new NotFoundError('kudos');
  return k;
}

export async function feed(deps: Deps, viewer: Viewer, q: FeedQuery, forcedTeam: string | null = null) {
  const filter: FeedFilter = {
    viewer,
    recipientId: q.recipient,
    giverId: q.giver,
    team: forcedTeam ?? q.team,
    behaviourKey: q.behaviour,
    since: q.since,
    until: q.until,
  };
  if (forcedTeam && q.team && q.team !== forcedTeam) return { items: [], nextCursor: null };
  // Tied to the filter: a cursor of another filter's feed is a position in another list.
  const tag = feedTag({ recipient: filter.recipientId, giver: filter.giverId, team: filter.team, behaviour: filter.behaviourKey, since: filter.since, until: filter.until });
  const page = await deps.store.feedPage(filter, { limit: q.limit, after: decodeCursor(q.cursor, tag, timePosition) });
  return { items: page.items, nextCursor: encodeCursor(page.next, tag) };
}

/** Soft delete: the giver within 15 minutes, or hr/admin with a reason. Always audited. */
export async function removeKudos(deps: Deps, actor: User, id: string, reason: string | undefined): Promise<void> {
  const viewer = viewerOfUser(actor);
  const k = await getVisibleKudos(deps, viewer, id);
  const nowMs = deps.clock.now();
  const moderator = actor.role === 'hr' || actor.role === 'admin';
  const giverInWindow = k.giver.id === actor.id && nowMs - Date.parse(k.createdAt) <= GIVER_DELETE_WINDOW_MS;
  if (!giverInWindow && !moderator) {
    if (k.giver.id === actor.id) throw new RuleViolationError('delete_window_passed', 'Kudos can be deleted by their giver only within 15 minutes.');
    throw new ForbiddenError('Only the giver or HR can delete a kudos.');
  }
  if (!giverInWindow && !reason) {
    throw new RuleViolationError('reason_required', 'Give a reason when removing someone else\'s kudos.', [{ path: 'reason', message: 'required' }]);
  }
  const removed = await deps.store.removeKudos(id, { by: actor.id, reason: reason ?? null, at: isoAt(nowMs) });
  if (!removed) throw new NotFoundError('kudos');
  await audit(deps, actor.id, giverInWindow ? 'kudos.deleted_by_giver' : 'kudos.moderated', { type: 'kudos', id }, { reason: reason ?? null, giverId: k.giver.id });
  deps.live.kudosRemoved(k);
}

/**
 * Different emoji one kudos may carry. Each person reacts once per emoji, so this also bounds one
 * person's reactions to a kudos, and with them the reactions every feed page and live event carries
 * (and a MongoDB kudos document, which embeds them). Two people adding the 20th and 21st emoji at
 * the same moment can both pass: a soft limit.
 */
export const MAX_REACTION_EMOJI = 20;

export async function react(deps: Deps, actor: User, id: string, emoji: string, on: boolean): Promise<KudosRecord> {
  const viewer = viewerOfUser(actor);
  const before = await getVisibleKudos(deps, viewer, id);
  if (on && !(emoji in before.reactions) && Object.keys(before.reactions).length >= MAX_REACTION_EMOJI) {
    throw new RuleViolationError('too_many_reactions', `A kudos can carry at most ${MAX_REACTION_EMOJI} different emoji; react with one it already has.`, [
      { path: 'emoji', message: `at most ${MAX_REACTION_EMOJI} different emoji per kudos` },
    ]);
  }
  const changed = await deps.store.setReaction(id, actor.id, emoji, on, isoAt(deps.clock.now()));
  const after = await getVisibleKudos(deps, viewer, id);
  if (changed) deps.live.kudosUpdated(after);
  return after;
}

export async function addComment(deps: Deps, actor: User, id: string, message: string): Promise<Comment> {
  const viewer = viewerOfUser(actor);
  await getVisibleKudos(deps, viewer, id);
  const comment = await deps.store.addComment({ id: newId(), kudosId: id, authorId: actor.id, message, createdAt: isoAt(deps.clock.now()) });
  const after = await deps.store.getKudos(id, null);
  if (after) deps.live.kudosUpdated(after);
  return comment;
}

export async function listComments(deps: Deps, actor: User, id: string, q: { limit: number; cursor?: string }) {
  await getVisibleKudos(deps, viewerOfUser(actor), id);
  const tag = cursorTag('comments', [id]);
  const page = await deps.store.commentsPage(id, { limit: q.limit, after: decodeCursor(q.cursor, tag, timePosition) });
  return { items: page.items, nextCursor: encodeCursor(page.next, tag) };
}
