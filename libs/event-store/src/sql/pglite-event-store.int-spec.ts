import { freshDirectory } from '@jejak/testing';

import { eventStoreContract } from '../../test/event-store.contract';

describe('event store contract: embedded PGlite (file-backed)', () => {
  eventStoreContract({
    shared: false,
    freshDatabase: async () => {
      const dir = await freshDirectory();
      return { value: { kind: 'pglite', dataDir: dir.value }, dispose: dir.dispose };
    },
  });
});
