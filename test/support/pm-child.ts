/**
 * Child process of the process-manager crash test: runs one process manager on the given database and
 * kills itself with SIGKILL right after the named step, as a crash between two steps would.
 */
import { type DatabaseConfig, eventMacKey, openEventStore, SqlCheckpointStore, SubscriptionRunner } from '@jejak/event-store';
import { PersonalDataVault } from '@jejak/personal-data';
import { linkManagers } from '@jejak/process-managers';

async function main(): Promise<void> {
  const [configJson, masterKeyB64, managerName, killAfter, keyringFile] = process.argv.slice(2) as [string, string, string, string, string];
  const masterKey = Buffer.from(masterKeyB64, 'base64');
  // Opened as the API and the projector open it: the events it writes carry their MACs.
  const { store, db } = await openEventStore(JSON.parse(configJson) as DatabaseConfig, { macKey: eventMacKey(masterKey) });
  const vault = await PersonalDataVault.create(db, Buffer.from(masterKeyB64, 'base64'), keyringFile);
  // The deployment's day (Asia/Jakarta in the tests), as the API's clock counts it.
  const today = (at: Date = new Date()) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const handler = linkManagers({
    store,
    vault,
    today,
    afterStep: (manager, step) => {
      if (step === killAfter) {
        process.stdout.write(`killing after ${manager}:${step}\n`);
        process.kill(process.pid, 'SIGKILL');
      }
    },
  }).find((h) => h.name === `process-manager:${managerName}`)!;
  const runner = new SubscriptionRunner(store, await SqlCheckpointStore.create(db), handler);
  await runner.start();
  process.stdout.write('running\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
