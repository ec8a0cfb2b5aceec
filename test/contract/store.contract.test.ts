import { availableStores } from '../support/stores.js';
import { runStoreContract } from './store.contract.js';

for (const kind of availableStores()) runStoreContract(kind);
