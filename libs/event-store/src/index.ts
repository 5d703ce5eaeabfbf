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
  StreamAppend,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
  SubscriptionBatch,
} from './types';
export { DEFAULT_LIMITS } from './types';
export {
  DataDirectoryLocked,
  DuplicateEventId,
  InvalidAppend,
  StoreUnavailable,
  StreamNotFound,
  WrongExpectedRevision,
} from './errors';
export { eventMetadata } from './metadata';
export { openDatabase, openEventStore } from './open';
export type { DatabaseConfig, SqlDatabaseConfig } from './open';
export { KurrentEventStore, RESERVED_METADATA_KEY, clientConnectionString, mapKurrentError } from './kurrent/kurrent-event-store';
export type { KurrentEventStoreOptions } from './kurrent/kurrent-event-store';
export { SqlEventStore, mapStorageError } from './sql/sql-event-store';
export type { SqlEventStoreOptions } from './sql/sql-event-store';
export type { SessionLock, SqlClient, SqlQueryable } from './sql/sql-client';
export { migrate } from './sql/migrations';
export type { Migration } from './sql/migrations';
export { PreconditionFailed, execute, foldStream } from './decider';
export type { CommandFrom, DomainEvent, ExecuteOptions, Executed, Folded } from './decider';
export type { Decider } from '@jejak/kernel';
export { collect, collectIfAny } from './collect';
export { HandlerFailed, LeasedRunner, SqlCheckpointStore, SubscriptionRunner } from './runner';
export type { EventHandler, RunnerFailure, RunnerOptions, RunnerStatus } from './runner';
export { MAC_METADATA_KEY, SEAL_EVENT, SEAL_STREAM, canonicalJson, contentHash, eventMac, eventMacKey, globalLink, hashInstant, linkHash, macValid, sealMessage, storedMetadata } from './integrity';
