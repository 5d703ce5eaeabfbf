export { collect, collectIfAny } from './collect';
export type { CommandFrom, DomainEvent, Executed, ExecuteOptions, Folded } from './decider';
export { execute, foldStream, PreconditionFailed } from './decider';
export { DataDirectoryLocked, DuplicateEventId, InvalidAppend, StoreUnavailable, StreamNotFound, WrongExpectedRevision } from './errors';
export { AppendGroup, appendGroup } from './grouped';
export {
  canonicalJson,
  contentHash,
  eventMac,
  eventMacKey,
  globalLink,
  hashInstant,
  linkHash,
  MAC_METADATA_KEY,
  macValid,
  SEAL_EVENT,
  SEAL_STREAM,
  sealMessage,
  storedMetadata,
} from './integrity';
export type { KurrentEventStoreOptions } from './kurrent/kurrent-event-store';
export { clientConnectionString, KurrentEventStore, mapKurrentError, RESERVED_METADATA_KEY } from './kurrent/kurrent-event-store';
export { eventMetadata } from './metadata';
export type { DatabaseConfig, SqlDatabaseConfig } from './open';
export { openDatabase, openEventStore } from './open';
export type { EventHandler, RunnerFailure, RunnerOptions, RunnerStatus } from './runner';
export { eventsAfter, HandlerFailed, LeasedRunner, runnerLag, SqlCheckpointStore, SubscriptionRunner } from './runner';
export type { MaintenanceRound } from './sql/maintenance';
export { autovacuumIsOff, TableMaintenance } from './sql/maintenance';
export type { Migration } from './sql/migrations';
export { migrate } from './sql/migrations';
export { PGliteSqlClient } from './sql/pglite-client';
export type { SessionLock, SqlClient, SqlQueryable } from './sql/sql-client';
export type { SqlEventStoreOptions } from './sql/sql-event-store';
export { mapStorageError, SqlEventStore } from './sql/sql-event-store';
export type {
  ActualRevision,
  AppendOptions,
  AppendResult,
  EventFilter,
  EventMetadata,
  EventStore,
  EventStoreHealth,
  EventStoreLimits,
  ExpectedRevision,
  JsonObject,
  JsonValue,
  NewEvent,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeToAllOptions,
  Subscription,
  SubscriptionBatch,
} from './types';
export { DEFAULT_LIMITS } from './types';
export type { Decider } from '@jejak/kernel';
