import type { Behaviour, BehaviourPatch } from '../../domain/types.js';
import { guard, isDuplicateKeyError } from './mongo-errors.js';
import type { BehaviourDoc, SettingDoc } from './mongo-documents.js';
import type { Models } from './mongo-models.js';

const CTX = { idField: 'key', what: 'behaviour' };

function toBehaviour(d: BehaviourDoc): Behaviour {
  return { key: d._id, group: d.group, name: d.name, description: d.description, weight: d.weight, active: d.active };
}

/** The behaviour catalog. Behaviours are retired (active=false), never deleted: kudos point at them. */
export class MongoBehaviours {
  constructor(private readonly m: Models) {}

  /** In creation order, so the seeded catalog keeps its documented order (as sqlite's rowid). */
  listBehaviours(): Promise<Behaviour[]> {
    return guard(async () => {
      const docs = await this.m.behaviours.find({}).sort({ seq: 1, _id: 1 }).lean<BehaviourDoc[]>();
      return docs.map(toBehaviour);
    });
  }

  getBehaviour(key: string): Promise<Behaviour | null> {
    return guard(async () => {
      const d = await this.m.behaviours.findById(key).lean<BehaviourDoc>();
      return d ? toBehaviour(d) : null;
    });
  }

  createBehaviour(b: Behaviour): Promise<Behaviour> {
    return guard(async () => {
      const seq = await this.nextSeq('seq:behaviours');
      await this.m.behaviours.create({
        _id: b.key, group: b.group, name: b.name, description: b.description, weight: b.weight,
        active: b.active, seq,
      });
      return { ...b };
    }, CTX);
  }

  updateBehaviour(key: string, patch: BehaviourPatch): Promise<Behaviour | null> {
    const set: Partial<BehaviourDoc> = {};
    if (patch.group !== undefined) set.group = patch.group;
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.weight !== undefined) set.weight = patch.weight;
    if (patch.active !== undefined) set.active = patch.active;
    return guard(async () => {
      const d =
        Object.keys(set).length === 0
          ? await this.m.behaviours.findById(key).lean<BehaviourDoc>()
          : await this.m.behaviours
              .findOneAndUpdate({ _id: key }, { $set: set }, { returnDocument: 'after' })
              .lean<BehaviourDoc>();
      return d ? toBehaviour(d) : null;
    }, CTX);
  }

  /** A cluster-wide increasing number (two first upserts can race: the loser retries once). */
  private async nextSeq(name: string): Promise<number> {
    const bump = () =>
      this.m.settings
        .findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' })
        .lean<SettingDoc>();
    let d: SettingDoc | null;
    try {
      d = await bump();
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      d = await bump();
    }
    return d?.seq ?? 0;
  }
}
