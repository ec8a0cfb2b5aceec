/**
 * The giver's allowance, checked and taken atomically across processes without a
 * replica-set transaction.
 *
 * Why not a per-window counter document ($inc while count < max): the contract defines "used"
 * as the number of non-removed kudos the giver created in [from, to). A counter only mirrors
 * that number if every path that changes it also moves the counter: kudos written while no
 * allowance was configured, kudos removed by HR, a window whose bounds changed. One missed
 * path and the counter drifts for good. So the count of documents stays the truth, and what we
 * add is only a way to serialise concurrent writers of the same giver: a gate per giver
 * (mongo-gate.ts), with "count non-removed kudos in the window, refuse at max" as its check. So
 * no two writers can both take the last slot. removeKudos needs no bookkeeping: a removed kudos
 * simply stops being counted, which frees its slot at once. A loser's kudos exists for a few
 * milliseconds before it is deleted (no live event is ever sent for it: the use case only emits
 * after createKudos returns).
 */
import { AllowanceExhaustedError } from '../../domain/errors.js';
import type { Iso } from '../../domain/types.js';
import type { KudosDoc } from './mongo-documents.js';
import { insertUnderGate } from './mongo-gate.js';
import type { Models } from './mongo-models.js';

export interface Allowance {
  max: number;
  from: Iso;
  to: Iso;
}

/** Inserts `doc` unless its giver has used `allowance.max` kudos in the window (see above). */
export function insertWithinAllowance(m: Models, doc: KudosDoc, allowance: Allowance): Promise<void> {
  return insertUnderGate(m, doc.giverId, {
    check: async () => {
      const used = await m.kudos.countDocuments({
        giverId: doc.giverId,
        removedAt: null,
        createdAt: { $gte: allowance.from, $lt: allowance.to },
      });
      if (used >= allowance.max) throw new AllowanceExhaustedError(allowance.max, used);
    },
    insert: async () => {
      await m.kudos.create(doc);
    },
    undo: async () => {
      await m.kudos.deleteOne({ _id: doc._id });
    },
  });
}
