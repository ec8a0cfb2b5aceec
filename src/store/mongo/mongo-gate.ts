/**
 * A gate: a version number in the `giverGates` collection (named when it held only givers'
 * gates) that makes a check-then-insert step take effect atomically across processes without a
 * replica-set transaction. Writers that share a gate id:
 *
 *   1. read the gate's version v (absent = 0);
 *   2. check, which throws to refuse (it reads what earlier winners inserted);
 *   3. insert;
 *   4. compare-and-set the gate from v to v+1.
 *
 * If step 4 fails, another writer finished in between: undo the insert and start again. Every
 * winner inserted before bumping the gate, and every later writer read the bumped gate before
 * checking, so its check sees all earlier winners: two writers can never both pass a check that
 * only one of them should. The price is a loser's document existing for a few milliseconds
 * before it is undone.
 */
import { StoreUnavailableError } from '../../domain/errors.js';
import { isDuplicateKeyError } from './mongo-errors.js';
import type { Models } from './mongo-models.js';

const MAX_ATTEMPTS = 25;

export interface GatedInsert {
  check(): Promise<void>;
  insert(): Promise<void>;
  undo(): Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function insertUnderGate(m: Models, gateId: string, step: GatedInsert): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const gate = await m.giverGates.findById(gateId).lean();
    const version = gate?.v ?? 0;
    await step.check();
    await step.insert();
    let won: boolean;
    try {
      won = await bumpGate(m, gateId, version);
    } catch (err) {
      // Outcome unknown (lost connection): do not leave a document that may have skipped the check.
      await step.undo().catch(() => undefined);
      throw err;
    }
    if (won) return;
    await step.undo();
    // Back off a little, with jitter, so racing writers do not collide again.
    await pause(Math.floor(Math.random() * (5 + attempt * 5)));
  }
  throw new StoreUnavailableError('Too many concurrent writes of the same kind; try again shortly.');
}

/** Compare-and-set v -> v+1; false when another writer moved the gate first. */
async function bumpGate(m: Models, gateId: string, version: number): Promise<boolean> {
  try {
    // When the gate is absent the upsert creates it at 1; when it exists at another version the
    // upsert collides with its _id, which is the "someone else won" case too.
    const r = await m.giverGates.updateOne({ _id: gateId, v: version }, { $inc: { v: 1 } }, { upsert: true });
    return r.modifiedCount + r.upsertedCount === 1;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}
