/**
 * The giver's allowance, checked and taken atomically across processes without a
 * replica-set transaction.
 *
 * Why not a per-window counter document ($inc while count < max): the contract defines "used"
 * as the number of non-removed kudos the giver created in [from, to). A counter only mirrors
 * that number if every path that changes it also moves the counter: kudos written while no
 * allowance was configured, kudos removed by HR, a window whose bounds changed. One missed
 * path and the counter drifts for good. So the count of documents stays the truth, and what we
 * add is only a way to serialise concurrent writers of the same giver:
 *
 *   1. read the giver's gate version v (absent = 0);
 *   2. count non-removed kudos in the window; if >= max, throw AllowanceExhaustedError;
 *   3. insert the kudos;
 *   4. compare-and-set the gate from v to v+1.
 *
 * If step 4 fails, another writer of this giver finished in between: we delete our kudos and
 * start again. Every successful writer inserted before bumping the gate, and every later
 * writer read the bumped gate before counting, so its count includes all earlier winners: no
 * two writers can both take the last slot. removeKudos needs no bookkeeping: a removed kudos
 * simply stops being counted, which frees its slot at once. The price is a loser's kudos
 * existing for a few milliseconds before it is deleted (no live event is ever sent for it: the
 * use case only emits after createKudos returns).
 */
import { AllowanceExhaustedError, StoreUnavailableError } from '../../domain/errors.js';
import type { Iso } from '../../domain/types.js';
import { isDuplicateKeyError } from './mongo-errors.js';
import type { KudosDoc } from './mongo-documents.js';
import type { Models } from './mongo-models.js';

const MAX_ATTEMPTS = 25;

export interface Allowance {
  max: number;
  from: Iso;
  to: Iso;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Inserts `doc` unless its giver has used `allowance.max` kudos in the window (see above). */
export async function insertWithinAllowance(m: Models, doc: KudosDoc, allowance: Allowance): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const gate = await m.giverGates.findById(doc.giverId).lean();
    const version = gate?.v ?? 0;
    const used = await m.kudos.countDocuments({
      giverId: doc.giverId,
      removedAt: null,
      createdAt: { $gte: allowance.from, $lt: allowance.to },
    });
    if (used >= allowance.max) throw new AllowanceExhaustedError(allowance.max, used);
    await m.kudos.create(doc);
    let won: boolean;
    try {
      won = await bumpGate(m, doc.giverId, version);
    } catch (err) {
      // Outcome unknown (lost connection): do not leave a kudos that may have skipped the check.
      await m.kudos.deleteOne({ _id: doc._id }).catch(() => undefined);
      throw err;
    }
    if (won) return;
    await m.kudos.deleteOne({ _id: doc._id });
    // Back off a little, with jitter, so racing writers of one giver do not collide again.
    await pause(Math.floor(Math.random() * (5 + attempt * 5)));
  }
  throw new StoreUnavailableError('Too many concurrent kudos from this giver; try again shortly.');
}

/** Compare-and-set v -> v+1; false when another writer moved the gate first. */
async function bumpGate(m: Models, giverId: string, version: number): Promise<boolean> {
  try {
    // When the gate is absent the upsert creates it at 1; when it exists at another version the
    // upsert collides with its _id, which is the "someone else won" case too.
    const r = await m.giverGates.updateOne({ _id: giverId, v: version }, { $inc: { v: 1 } }, { upsert: true });
    return r.modifiedCount + r.upsertedCount === 1;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}
