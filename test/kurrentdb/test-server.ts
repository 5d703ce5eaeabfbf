/**
 * A protocol-level test double of KurrentDB (EventStoreDB 20+) for the KurrentDB adapter's tests: a real
 * gRPC server on `@grpc/grpc-js`, serving the service definitions generated inside `@eventstore/db-client`,
 * driven by the real client. It holds events in memory. It is a test double, never a storage option of
 * the product: nothing in apps/ or libs/ imports it.
 *
 * What it reproduces (only what the adapter uses):
 * - ServerFeatures.GetSupportedMethods answers as an older server (version 20.10.5, Streams.Read and
 *   Streams.Append only, no BatchAppend), so the client falls back to the plain client-streaming Append.
 * - Streams.Append: an options message, then proposed messages; all events of one call are written
 *   atomically. Expected revision `any`, `no_stream`, `stream_exists` or an exact revision, refused with
 *   the WrongExpectedVersion result (current revision or current no-stream) that the client turns into
 *   WrongExpectedVersionError. Idempotence by event id as KurrentDB documents it for the gRPC clients
 *   ("if two events with the same Uuid are appended to the same stream in quick succession, only one copy
 *   is appended"; guaranteed for every expected revision but `any`, best effort for `any`): an append whose
 *   event ids are already, in order, where its expected revision says they would start succeeds without
 *   writing; for `any`, when the first id is found among the stream's events. Ids are not unique across
 *   streams, as in KurrentDB.
 * - Success carries the stream's current revision and the log position (commit = prepare: there are no
 *   explicit transactions over gRPC). Positions are byte offsets into a log, so they grow by more than one
 *   per event, as KurrentDB's do; callers must never compute with them.
 * - Streams.Read of a stream: from start, end or a revision, forwards or backwards, up to a count; a stream
 *   with no events answers StreamNotFound. Read of $all: from start, end or a position (inclusive),
 *   forwards or backwards, with or without a server-side filter.
 * - Subscriptions to $all (Read with the subscription option): a confirmation first, then the events
 *   after the given position (exclusive, as KurrentDB's subscribeToAll), then CaughtUp, then live events
 *   as they are appended. Filters on stream name or event type, by prefixes or by regular expression
 *   (.NET and JavaScript agree on the simple expressions used here). With a filter, a Checkpoint (commit
 *   and prepare position of the last event examined) after every `max search window (default 32) x
 *   checkpoint interval multiplier` events examined, and whenever the end of the log is reached past
 *   filtered-out events, so that a consumer can move its checkpoint past runs of events it does not want.
 *   (The client turns a Checkpoint into its `checkpointReached` callback.)
 * - System events: the log starts, like a new KurrentDB node's, with events in `$`-prefixed streams
 *   (`$epoch-information`), which $all readers see unless they filter them out.
 * - Restart: `stop()` drops every connection (the client sees UNAVAILABLE, gRPC status 14), `start()` serves
 *   the same log on the same port again, so reconnection can be tested.
 *
 * Checked against:
 * - the gRPC clients' documentation: appending events (expected revision; "if two events with the same
 *   Uuid are appended to the same stream in quick succession, only one copy is appended"),
 *   https://github.com/EventStore/documentation/blob/075e013833610eb10ac69ab7899744e8a8c99ff6/docs/clients/grpc/appending-events/README.md;
 *   reading events ($all from a position is inclusive, system events are in $all) and catch-up
 *   subscriptions (the start position is exclusive; server-side filters by stream prefix or event type,
 *   regular expression or prefixes; checkpoints while filtering), docs.kurrent.io/clients/grpc;
 * - idempotence guaranteed for every expected revision but `any` (best effort), as the Rust client
 *   documents ExpectedRevision, https://docs.rs/eventstore/latest/eventstore/enum.ExpectedRevision.html;
 * - the checkpoint interval being a multiplier of the search window of 32,
 *   https://github.com/EventStore/EventStore/pull/2608;
 * - the message shapes and the client's handling of them: streams.proto and serverfeatures.proto as
 *   compiled into @eventstore/db-client 6.2 (generated/*_pb.js), and the client's dist/streams and
 *   dist/Client (ServerFeatures: an unknown or older server gets plain Append; ReadStream: StreamNotFound;
 *   Subscription: confirmation, caughtUp, checkpoint).
 *
 * Not reproduced: deletes and tombstones, stream metadata ($maxAge, ACLs), links and projections, batch
 * append, persistent subscriptions, clustering and leader election, authentication and TLS.
 */
import { randomUUID } from 'node:crypto';

import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import * as grpc from '@grpc/grpc-js';

interface StoredEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as KurrentDB's `created`. */
  readonly created: bigint;
  readonly position: bigint;
}

interface Matcher {
  readonly on: 'stream' | 'type';
  readonly test: (value: string) => boolean;
  /** Events examined between checkpoints. */
  readonly checkpointEvery: number;
}

interface Live {
  readonly call: grpc.ServerWritableStream<ReadReq, ReadResp>;
  readonly matcher: Matcher | undefined;
  after: bigint;
  examinedSinceCheckpoint: number;
}

const TICKS_PER_MS = 10_000n;

export class KurrentTestServer {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly live = new Set<Live>();
  private server: grpc.Server | undefined;
  private nextPosition = 0n;
  port = 0;

  /** Appends seen, for tests that check the client fell back to plain Append. */
  appendCalls = 0;

  constructor() {
    // A new node writes its epoch record before anything else.
    this.write('$epoch-information', [
      {
        id: randomUUID(),
        type: '$epoch',
        contentType: 'application/json',
        data: Buffer.from('{"epochNumber":0}'),
        metadata: new Uint8Array(),
      },
    ]);
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  async start(port = this.port): Promise<void> {
    const server = new grpc.Server();
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (_call: unknown, callback: grpc.sendUnaryData<SupportedMethods>) => {
        const methods = ['read', 'append'].map((name) =>
          new SupportedMethod().setServiceName('event_store.client.streams.streams').setMethodName(name),
        );
        callback(null, new SupportedMethods().setEventStoreServerVersion('20.10.5').setMethodsList(methods));
      },
    });
    server.addService(StreamsService, {
      read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => this.read(call),
      append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) =>
        this.append(call, callback),
      delete: (_call: unknown, callback: grpc.sendUnaryData<never>) => callback({ code: grpc.status.UNIMPLEMENTED }),
      tombstone: (_call: unknown, callback: grpc.sendUnaryData<never>) => callback({ code: grpc.status.UNIMPLEMENTED }),
      batchAppend: (call: grpc.ServerDuplexStream<unknown, unknown>) => call.emit('error', { code: grpc.status.UNIMPLEMENTED }),
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    this.server = server;
  }

  /** Drops every connection at once, as a crashed or restarted node does. The log is kept. */
  async stop(): Promise<void> {
    for (const l of this.live) l.call.destroy();
    this.live.clear();
    this.server?.forceShutdown();
    this.server = undefined;
  }

  /**
   * Rewrites a stored event's data in place, as someone with access to the server's files could: for
   * tests that prove tampering is detected. Not a KurrentDB operation (KurrentDB has none that does this).
   */
  tamper(streamId: string, revision: bigint, change: (data: Record<string, unknown>) => void): bigint {
    const stream = this.streams.get(streamId)!;
    const index = Number(revision);
    const event = stream[index]!;
    const data = JSON.parse(Buffer.from(event.data).toString('utf8')) as Record<string, unknown>;
    change(data);
    const changed = { ...event, data: Buffer.from(JSON.stringify(data), 'utf8') };
    stream[index] = changed;
    this.log[this.log.indexOf(event)] = changed;
    return event.position;
  }

  /** Deletes a stored event outright, as someone with access to the server's files could (tests only). */
  remove(streamId: string, revision: bigint): bigint {
    const stream = this.streams.get(streamId)!;
    const event = stream[Number(revision)]!;
    stream.splice(Number(revision), 1);
    this.log.splice(this.log.indexOf(event), 1);
    return event.position;
  }

  /** Number of events in the log, system events included. */
  get size(): number {
    return this.log.length;
  }

  private write(streamId: string, events: readonly Omit<StoredEvent, 'streamId' | 'revision' | 'created' | 'position'>[]): StoredEvent[] {
    const stream = this.streams.get(streamId) ?? [];
    const created = BigInt(Date.now()) * TICKS_PER_MS;
    const written = events.map((e, i) => {
      const position = this.nextPosition;
      // A log record's size: header, names and payloads.
      this.nextPosition += 100n + BigInt(streamId.length + e.type.length + e.data.length + e.metadata.length);
      return { ...e, streamId, revision: BigInt(stream.length + i), created, position };
    });
    stream.push(...written);
    this.streams.set(streamId, stream);
    this.log.push(...written);
    for (const l of this.live) this.feed(l);
    return written;
  }

  private append(call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>): void {
    this.appendCalls++;
    let options: AppendReq.Options | undefined;
    const proposed: AppendReq.ProposedMessage[] = [];
    call.on('data', (req: AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      else if (req.hasProposedMessage()) proposed.push(req.getProposedMessage()!);
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (!options) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'no options' });
      const streamId = Buffer.from(options.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
      const stream = this.streams.get(streamId) ?? [];
      const current = stream.length === 0 ? undefined : BigInt(stream.length - 1);
      const ids = proposed.map((p) => p.getId()!.getString().toLowerCase());
      const E = AppendReq.Options.ExpectedStreamRevisionCase;
      const kind = options.getExpectedStreamRevisionCase();
      const expected = kind === E.REVISION ? BigInt(options.getRevision()) : undefined;

      // Idempotence: the same ids, in order, where the expected revision says this append would start.
      const repeatAt = (start: number): StoredEvent[] | undefined => {
        if (start < 0 || start + ids.length > stream.length) return undefined;
        const run = stream.slice(start, start + ids.length);
        return run.every((e, i) => e.id === ids[i]) ? run : undefined;
      };
      let repeat: StoredEvent[] | undefined;
      if (kind === E.REVISION) repeat = repeatAt(Number(expected! + 1n));
      else if (kind === E.NO_STREAM) repeat = repeatAt(0);
      else {
        const first = stream.findIndex((e) => e.id === ids[0]);
        if (first >= 0) repeat = repeatAt(first);
      }
      const resp = new AppendResp();
      if (repeat && repeat.length > 0) {
        return callback(null, resp.setSuccess(this.success(repeat[repeat.length - 1]!)));
      }
      const ok =
        kind === E.ANY ||
        (kind === E.NO_STREAM && current === undefined) ||
        (kind === E.STREAM_EXISTS && current !== undefined) ||
        (kind === E.REVISION && current === expected);
      if (!ok) {
        const wrong = new AppendResp.WrongExpectedVersion();
        if (current === undefined) wrong.setCurrentNoStream(new Empty());
        else wrong.setCurrentRevision(current.toString());
        if (kind === E.REVISION) wrong.setExpectedRevision(expected!.toString());
        else if (kind === E.NO_STREAM) wrong.setExpectedNoStream(new Empty());
        else if (kind === E.STREAM_EXISTS) wrong.setExpectedStreamExists(new Empty());
        else wrong.setExpectedAny(new Empty());
        return callback(null, resp.setWrongExpectedVersion(wrong));
      }
      if (proposed.length === 0) {
        const success = new AppendResp.Success().setNoPosition(new Empty());
        if (current === undefined) success.setNoStream(new Empty());
        else success.setCurrentRevision(current.toString());
        return callback(null, resp.setSuccess(success));
      }
      const written = this.write(
        streamId,
        proposed.map((p, i) => {
          const meta = p.getMetadataMap();
          return {
            id: ids[i]!,
            type: meta.get('type') ?? '',
            contentType: meta.get('content-type') ?? 'application/octet-stream',
            data: p.getData_asU8(),
            metadata: p.getCustomMetadata_asU8(),
          };
        }),
      );
      callback(null, resp.setSuccess(this.success(written[written.length - 1]!)));
    });
  }

  private success(last: StoredEvent): AppendResp.Success {
    const position = new AppendResp.Position().setCommitPosition(last.position.toString()).setPreparePosition(last.position.toString());
    return new AppendResp.Success().setCurrentRevision(last.revision.toString()).setPosition(position);
  }

  private read(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
    const options = call.request.getOptions()!;
    const forwards = options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS;
    const count = options.hasCount() ? Number(BigInt(options.getCount())) : Number.MAX_SAFE_INTEGER;
    if (options.hasStream()) return this.readStream(call, options.getStream()!, forwards, count);
    const all = options.getAll()!;
    const matcher = options.hasFilter() ? this.matcher(options.getFilter()!) : undefined;
    const A = ReadReq.Options.AllOptions.AllOptionCase;
    const positionCase = all.getAllOptionCase();
    const from = positionCase === A.POSITION ? BigInt(all.getPosition()!.getCommitPosition()) : undefined;

    if (options.hasSubscription()) {
      call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
      const after = positionCase === A.START ? -1n : positionCase === A.END ? (this.log.at(-1)?.position ?? -1n) : from!;
      const live: Live = { call, matcher, after, examinedSinceCheckpoint: 0 };
      this.live.add(live);
      call.on('cancelled', () => this.live.delete(live));
      call.on('close', () => this.live.delete(live));
      this.feed(live);
      call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
      return;
    }

    let events: StoredEvent[];
    if (forwards) {
      const start =
        positionCase === A.END ? this.log.length : positionCase === A.START ? 0 : this.log.findIndex((e) => e.position >= from!);
      events = start < 0 ? [] : this.log.slice(start);
    } else {
      const end = positionCase === A.END ? this.log.length : positionCase === A.START ? 0 : this.log.findIndex((e) => e.position > from!);
      events = this.log.slice(0, end < 0 ? this.log.length : end).reverse();
    }
    let sent = 0;
    for (const e of events) {
      if (sent >= count) break;
      if (matcher && !this.matches(matcher, e)) continue;
      call.write(this.eventResp(e));
      sent++;
    }
    call.end();
  }

  private readStream(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options.StreamOptions,
    forwards: boolean,
    count: number,
  ): void {
    const streamId = Buffer.from(options.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
    const stream = this.streams.get(streamId);
    if (!stream || stream.length === 0) {
      const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(
        new StreamIdentifier().setStreamName(Buffer.from(streamId, 'utf8')),
      );
      call.write(new ReadResp().setStreamNotFound(notFound));
      call.end();
      return;
    }
    const R = ReadReq.Options.StreamOptions.RevisionOptionCase;
    const last = stream.length - 1;
    let start: number;
    switch (options.getRevisionOptionCase()) {
      case R.START:
        start = forwards ? 0 : -1;
        break;
      case R.END:
        start = forwards ? stream.length : last;
        break;
      default: {
        const r = BigInt(options.getRevision());
        start = r > BigInt(last) ? (forwards ? stream.length : last) : Number(r);
      }
    }
    for (let i = start, sent = 0; sent < count && i >= 0 && i < stream.length; i += forwards ? 1 : -1, sent++) {
      call.write(this.eventResp(stream[i]!));
    }
    call.end();
  }

  private matcher(filter: ReadReq.Options.FilterOptions): Matcher {
    const on = filter.hasStreamIdentifier() ? 'stream' : 'type';
    const expression = (on === 'stream' ? filter.getStreamIdentifier() : filter.getEventType())!;
    const prefixes = expression.getPrefixList();
    const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
    const test = (value: string): boolean =>
      prefixes.length > 0 ? prefixes.some((p) => value.startsWith(p)) : regex ? regex.test(value) : true;
    const window = filter.hasMax() ? filter.getMax() : 32;
    return { on, test, checkpointEvery: window * Math.max(1, filter.getCheckpointintervalmultiplier()) };
  }

  private matches(matcher: Matcher, e: StoredEvent): boolean {
    return matcher.test(matcher.on === 'stream' ? e.streamId : e.type);
  }

  /** Sends a subscriber everything after its position, with checkpoints while a filter skips events. */
  private feed(live: Live): void {
    let i = this.firstAfter(live.after);
    let skipped = false;
    for (; i < this.log.length; i++) {
      const e = this.log[i]!;
      live.after = e.position;
      if (!live.matcher) {
        live.call.write(this.eventResp(e));
        continue;
      }
      live.examinedSinceCheckpoint++;
      if (this.matches(live.matcher, e)) {
        live.call.write(this.eventResp(e));
        skipped = false;
      } else skipped = true;
      if (live.examinedSinceCheckpoint >= live.matcher.checkpointEvery) {
        live.call.write(this.checkpoint(e.position));
        live.examinedSinceCheckpoint = 0;
        skipped = false;
      }
    }
    if (live.matcher && skipped) {
      live.call.write(this.checkpoint(live.after));
      live.examinedSinceCheckpoint = 0;
    }
  }

  private firstAfter(position: bigint): number {
    // Binary search: the log is in position order.
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid]!.position <= position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private checkpoint(position: bigint): ReadResp {
    return new ReadResp().setCheckpoint(
      new ReadResp.Checkpoint().setCommitPosition(position.toString()).setPreparePosition(position.toString()),
    );
  }

  private eventResp(e: StoredEvent): ReadResp {
    const recorded = new ReadResp.ReadEvent.RecordedEvent()
      .setId(new UUID().setString(e.id))
      .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(e.streamId, 'utf8')))
      .setStreamRevision(e.revision.toString())
      .setPreparePosition(e.position.toString())
      .setCommitPosition(e.position.toString())
      .setData(e.data)
      .setCustomMetadata(e.metadata);
    recorded.getMetadataMap().set('type', e.type).set('content-type', e.contentType).set('created', e.created.toString());
    return new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(e.position.toString()));
  }
}

/** Starts a test server on a free port. */
export async function startKurrentTestServer(): Promise<KurrentTestServer> {
  const server = new KurrentTestServer();
  await server.start(0);
  return server;
}
