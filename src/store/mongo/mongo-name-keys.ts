/**
 * Brings stored users' nameKey up to the current nameKey() (src/domain/name-key.ts) at init, the
 * Mongo counterpart of sqlite migration 5. Runs on every start, and that is deliberate: a marker
 * saying "done" would go stale while an older build still runs beside this one (a rolling deploy)
 * and writes unfolded keys; re-checking finds those on the next start. It stays cheap because only
 * keys holding a non-ASCII character are read (see CANDIDATES), and only keys that differ are written.
 */
import type { AnyBulkWriteOperation } from 'mongoose';
import { nameKey } from '../../domain/name-key.js';
import type { UserDoc } from './mongo-documents.js';
import type { Models } from './mongo-models.js';

/** Users read and rewritten per round trip. */
export const REKEY_BATCH = 500;

/**
 * The only keys that can be stale. An old key is name.toLowerCase(), and wherever that is pure
 * ASCII nameKey() gives the same text (checked for every code point: no character lower-cases to
 * ASCII while decomposing or carrying a mark). A string pattern, as in literalPattern.
 */
export const CANDIDATES = { nameKey: { $regex: '[^\\x00-\\x7F]' } };

type KeyFields = Pick<UserDoc, '_id' | 'name' | 'nameKey'>;

/**
 * Re-keys every user whose nameKey differs from nameKey(name); returns how many it rewrote.
 * Safe beside other processes doing the same: each write is conditional on the name and key it
 * read, so a concurrent re-key or rename makes it a no-op instead of writing a stale key.
 */
export async function rekeyUserNames(users: Pick<Models['users'], 'find' | 'bulkWrite'>, batch = REKEY_BATCH): Promise<number> {
  let rewritten = 0;
  let after: string | null = null;
  for (;;) {
    // Keyset pages by _id: a write in between cannot make a page skip or repeat a user.
    const filter = after === null ? CANDIDATES : { ...CANDIDATES, _id: { $gt: after } };
    const docs: KeyFields[] = await users
      .find(filter, { name: 1, nameKey: 1 })
      .sort({ _id: 1 })
      .limit(batch)
      .lean<KeyFields[]>();
    const ops: AnyBulkWriteOperation<UserDoc>[] = [];
    for (const d of docs) {
      const key = nameKey(d.name);
      if (key === d.nameKey) continue;
      ops.push({ updateOne: { filter: { _id: d._id, name: d.name, nameKey: d.nameKey }, update: { $set: { nameKey: key } } } });
    }
    if (ops.length > 0) {
      // Unordered: the writes are independent, and one that matches nothing is not an error.
      const r = await users.bulkWrite(ops, { ordered: false });
      rewritten += r.modifiedCount;
    }
    const last = docs[docs.length - 1];
    if (!last || docs.length < batch) return rewritten;
    after = last._id;
  }
}
