import { availableStores, sqliteWriterThreadKind } from '../support/stores.js';
import { runStoreContract } from './store.contract.js';

for (const kind of [...availableStores(), sqliteWriterThreadKind()]) runStoreContract(kind);
