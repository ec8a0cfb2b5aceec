/**
 * The store contract: one suite, run against every adapter (see store.contract.test.ts).
 * It speaks only through the Store interface, so sqlite and mongo are held to the same
 * behaviour; it asserts error classes and fields, never messages. Per-area suites live in
 * the sibling *.contract.ts files to keep each readable.
 */
import { describe } from 'mocha';
import type { StoreKind } from '../support/stores.js';
import { feedContract } from './feed.contract.js';
import { insightContract } from './insight.contract.js';
import { kudosContract } from './kudos.contract.js';
import { miscContract } from './misc.contract.js';
import { periodsContract } from './periods.contract.js';
import { usersContract } from './users.contract.js';

/** Registers the whole store contract as one mocha `describe` for `kind`. */
export function runStoreContract(kind: StoreKind): void {
  describe(`store contract: ${kind.name}${kind.variant ? ` (${kind.variant})` : ''}`, () => {
    usersContract(kind);
    kudosContract(kind);
    feedContract(kind);
    insightContract(kind);
    periodsContract(kind);
    miscContract(kind);
  });
}
