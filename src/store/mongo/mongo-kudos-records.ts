import type { KudosRecord, PersonRef } from '../../domain/types.js';
import type { BehaviourDoc, KudosDoc, ReactionSub, UserDoc } from './mongo-documents.js';
import type { Models } from './mongo-models.js';

type Person = Pick<UserDoc, '_id' | 'name' | 'team'>;

/** Byte order of UTF-8, as sqlite's default collation compares text (JS `<` compares UTF-16). */
function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Reaction counts and the viewer's own, emojis in the order they were first used on the kudos
 * (ties by emoji), as the sqlite adapter orders them, so the UI does not reshuffle them.
 */
export function summariseReactions(
  reactions: readonly ReactionSub[],
  viewerId: string | null,
): { counts: Record<string, number>; mine: string[] } {
  const byEmoji = new Map<string, { n: number; first: string; mine: boolean }>();
  for (const r of reactions) {
    const e = byEmoji.get(r.emoji) ?? { n: 0, first: r.at, mine: false };
    e.n += 1;
    if (r.at < e.first) e.first = r.at;
    if (viewerId !== null && r.userId === viewerId) e.mine = true;
    byEmoji.set(r.emoji, e);
  }
  const ordered = [...byEmoji.entries()].sort(
    ([ea, a], [eb, b]) => (a.first < b.first ? -1 : a.first > b.first ? 1 : utf8Compare(ea, eb)),
  );
  const counts: Record<string, number> = {};
  const mine: string[] = [];
  for (const [emoji, e] of ordered) {
    counts[emoji] = e.n;
    if (e.mine) mine.push(emoji);
  }
  return { counts, mine };
}

/**
 * Builds full records for a page of kudos documents, in their order, with three batched
 * queries whatever the page size (never one per kudos). People show their current name and
 * team; recipients keep the order they were given in.
 */
export async function hydrateKudos(
  m: Models,
  docs: readonly KudosDoc[],
  viewerId: string | null,
): Promise<KudosRecord[]> {
  if (docs.length === 0) return [];
  const userIds = [...new Set(docs.flatMap((d) => [d.giverId, ...d.recipients.map((r) => r.userId)]))];
  const keys = [...new Set(docs.flatMap((d) => d.behaviourKeys))];
  const kudosIds = docs.map((d) => d._id);
  const [people, behaviours, comments] = await Promise.all([
    m.users.find({ _id: { $in: userIds } }, { name: 1, team: 1 }).lean<Person[]>(),
    m.behaviours.find({ _id: { $in: keys } }, { name: 1 }).lean<Pick<BehaviourDoc, '_id' | 'name'>[]>(),
    m.comments.aggregate<{ _id: string; n: number }>([
      { $match: { kudosId: { $in: kudosIds } } },
      { $group: { _id: '$kudosId', n: { $sum: 1 } } },
    ]),
  ]);
  const personById = new Map(people.map((p) => [p._id, p]));
  const nameByKey = new Map(behaviours.map((b) => [b._id, b.name]));
  const commentCount = new Map(comments.map((c) => [c._id, c.n]));

  return docs.map((d): KudosRecord => {
    const { counts, mine } = summariseReactions(d.reactions ?? [], viewerId);
    return {
      id: d._id,
      giver: person(personById.get(d.giverId) ?? { _id: d.giverId, name: '', team: '' }),
      // A recipient whose user record is gone is left out, as the sqlite join does.
      recipients: d.recipients.flatMap((r) => {
        const p = personById.get(r.userId);
        return p ? [person(p)] : [];
      }),
      behaviours: d.behaviourKeys.map((key) => ({ key, name: nameByKey.get(key) ?? key })),
      message: d.message,
      visibility: d.visibility,
      createdAt: d.createdAt,
      teams: [...d.teams],
      reactions: counts,
      myReactions: mine,
      commentCount: commentCount.get(d._id) ?? 0,
      removedAt: d.removedAt ?? null,
    };
  });
}

function person(p: Person): PersonRef {
  return { id: p._id, name: p.name, team: p.team };
}
