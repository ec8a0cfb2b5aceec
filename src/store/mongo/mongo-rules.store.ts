import type { ScoringRules } from '../../domain/types.js';
import { guard } from './mongo-errors.js';
import type { SettingDoc } from './mongo-documents.js';
import type { Models } from './mongo-models.js';
import { inTransactionWherePossible, type SessionSource, type WriteMode } from './mongo-transaction.js';

const RULES_ID = 'scoring_rules';

type Rules = Omit<ScoringRules, 'weights'>;

/** The scoring rules (JSON text in `settings`) and the behaviour weights that go with them. */
export class MongoRules {
  constructor(
    private readonly m: Pick<Models, 'behaviours' | 'settings'>,
    private readonly sessions: SessionSource,
  ) {}

  getRules(): Promise<Rules | null> {
    return guard(async () => {
      const d = await this.m.settings.findById(RULES_ID).lean<SettingDoc>();
      return d?.json ? (JSON.parse(d.json) as Rules) : null;
    });
  }

  /**
   * The weights (one ordered bulk write on behaviour documents) and the rules (one `settings`
   * document) in one transaction on a replica set or sharded cluster, so a failure leaves both
   * as they were, as sqlite's transaction does. On a standalone server, which has no
   * transactions, the same writes run in that order without one: a failure between them leaves
   * the new weights behind an error answer, and repeating the same PUT completes it.
   */
  saveRules(rules: Rules, weights: Readonly<Record<string, number>> = {}): Promise<WriteMode> {
    // A caller holding full ScoringRules may pass them; weights belong to the catalog.
    const { weights: _ignored, ...stored } = rules as ScoringRules;
    const json = JSON.stringify(stored);
    const weightOps = Object.entries(weights).map(([key, weight]) => ({
      updateOne: { filter: { _id: key }, update: { $set: { weight } } },
    }));
    return guard(() =>
      inTransactionWherePossible(this.sessions, async (session) => {
        // No `session` key at all outside a transaction: the driver then uses an implicit one.
        const inSession = session ? { session } : {};
        if (weightOps.length > 0) await this.m.behaviours.bulkWrite(weightOps, { ordered: true, ...inSession });
        await this.m.settings.updateOne({ _id: RULES_ID }, { $set: { json } }, { upsert: true, ...inSession });
      }),
    );
  }
}
