import FolioQueue
import Foundation
import Logging
import NIOCore

/// The Redis driver: every transition is one Lua script, so any number of processes can share a queue.
///
/// Ordinary commands go through one non-blocking connection per event loop (``RedisLoopPool``);
/// `waitForWork` blocks in `BZPOPMIN` on a dedicated connection per queue; events are read from each queue's capped stream
/// by one more connection. Call ``shutdown()`` to close the connections.
public final class RedisDriver: QueueDriver, Sendable {
    public let configuration: RedisConfiguration
    let pool: RedisLoopPool
    let scripts: RedisScripts
    /// A connection of its own per queue for `BZPOPMIN`, which holds the connection (not a thread) while it waits.
    let blocking = LockedState<[QueueName: RedisLoopConnection]>([:])
    let keyCache = LockedState<[QueueName: QueueKeys]>([:])
    let logger: Logger
    let hub = EventHub()
    let cancelHub = EventHub()
    let reader = LockedState<RedisEventReader?>(nil)
    /// Commands that go to Redis in one transaction with a job's completion in this process (its document), by job.
    let completionRiders = LockedState<[JobID: [[RedisArg]]]>([:])
    /// Most jobs with riders waiting for their completion; past it, riders are refused and sent on their own.
    static let riderCapacity = 4_096

    public init(configuration: RedisConfiguration, logger: Logger = Logger(label: "folio.redis")) throws {
        self.configuration = configuration
        self.logger = logger
        self.scripts = try RedisScripts.shared.get()
        self.pool = RedisLoopPool(configuration: configuration)
    }

    public convenience init(url: String) throws {
        try self.init(configuration: RedisConfiguration(url: url))
    }

    /// Closes every connection once its requests in flight are answered. Calls after this fail with
    /// ``QueueError/Code/unavailable``.
    public func shutdown() {
        pool.stop()
        for l in blocking.withLock({ Array($0.values) }) { l.stop() }
        reader.withLock { $0?.stop() }
    }

    /// The connection for an ordinary command: the calling event loop's own when there is one.
    var connection: RedisLoopConnection { pool.connection }

    func keys(_ q: QueueName) -> QueueKeys {
        keyCache.withLock { c in
            if let k = c[q] { return k }
            let k = QueueKeys(q, keyPrefix: configuration.keyPrefix)
            c[q] = k
            return k
        }
    }

    var maxEvents: RedisArg { RedisArg(configuration.maxEvents) }
    static let ageing = RedisArg(Priority.ageing.milliseconds)
    static let empty = RedisArg([])
    static let one: RedisArg = "1"
    static let zero: RedisArg = "0"
    static let priorities = Dictionary(uniqueKeysWithValues: (0...9).map { ($0, RedisArg($0)) })

    /// How many commands this driver has sent to Redis (every connection, blocking waits and event reads included).
    public var commandsSent: Int {
        pool.sentCount + blocking.withLock { $0.values.map(\.sentCount).reduce(0, +) }
            + (reader.withLock { $0?.connection.sentCount } ?? 0)
    }

    /// Sends one plain command on the pool.
    public func command(_ args: [RedisArg]) async throws -> RedisReply {
        try await connection.send(args).check()
    }

    /// Runs `commands` as one MULTI/EXEC transaction in one round trip; the replies of the commands, in order.
    public func transaction(_ commands: [[RedisArg]]) async throws -> [RedisReply] {
        let replies = try await connection.send([["MULTI"]] + commands + [["EXEC"]])
        for r in replies { _ = try r.check() }
        guard case .array(let results)? = replies.last, results.count == commands.count else {
            throw QueueError(.unavailable, "the Redis transaction was not executed")
        }
        for r in results { _ = try r.check() }
        return results
    }

    // MARK: QueueDriver

    public func enqueue(_ jobs: [JobRequest]) async throws -> [JobID] {
        if jobs.isEmpty { return [] }
        let now = jobs[0].enqueuedAtMs ?? Clock.nowMs()
        var ids = [JobID](repeating: JobID(""), count: jobs.count)
        var byQueue: [QueueName: [Int]] = [:]
        for (i, r) in jobs.enumerated() { byQueue[r.queue, default: []].append(i) }
        for (queue, indices) in byQueue {
            let k = keys(queue)
            if indices.count <= 1_000, indices.allSatisfy({ jobs[$0].idempotencyKey == nil }) {
                try await enqueueInTransaction(indices.map { jobs[$0] }, keys: k, now: now)
                for i in indices { ids[i] = jobs[i].id }
                continue
            }
            var args: [RedisArg] = [RedisArg(k.prefix), RedisArg(now), maxEvents, Self.ageing]
            args.reserveCapacity(4 + indices.count * 12)
            // Jobs of a batch mostly share kind, options and retry policy: their arguments are made once and shared.
            var last: (kind: String, kindArg: RedisArg, retry: RetryPolicy, retryArg: RedisArg,
                       window: Int64, windowArg: RedisArg)?
            for i in indices {
                let r = jobs[i]
                if last == nil || last!.kind != r.kind || last!.retry != r.retry || last!.window != r.idempotencyWindowMs {
                    last = (r.kind, RedisArg(r.kind), r.retry, RedisArg(r.retry.description), r.idempotencyWindowMs,
                            RedisArg(r.idempotencyWindowMs))
                }
                args.append(RedisArg(r.id.rawValue))
                args.append(last!.kindArg)
                args.append(RedisArg([UInt8](r.payload)))
                args.append(r.tenant.map { RedisArg($0) } ?? Self.empty)
                args.append(Self.priorities[r.priority.rawValue, default: RedisArg(r.priority.rawValue)])
                args.append(RedisArg(r.runAtMs))
                args.append(RedisArg(r.maxAttempts))
                args.append(last!.retryArg)
                args.append(r.timeoutMs.map { RedisArg($0) } ?? Self.empty)
                args.append(r.idempotencyKey.map { RedisArg($0) } ?? Self.empty)
                args.append(last!.windowArg)
                args.append(r.removeOnComplete ? Self.one : Self.zero)
            }
            let reply = try await scripts.addJobs.run(on: connection, keys: [k.wait, k.delayed, k.marker, k.events], args: args)
            guard let outcomes = reply.array, outcomes.count == indices.count else {
                throw QueueError(.protocolError, "addJobs returned \(reply)")
            }
            for (i, outcome) in zip(indices, outcomes) {
                guard let existing = outcome.string else { throw QueueError(.protocolError, "addJobs returned \(reply)") }
                ids[i] = existing.isEmpty ? jobs[i].id : JobID(existing)
            }
        }
        return ids
    }

    public func lease(queue: QueueName, worker: String, count: Int, leaseDuration: Duration,
                      rateLimit: RateLimit?) async throws -> LeaseBatch {
        let k = keys(queue)
        let now = Clock.nowMs()
        let reply = try await scripts.leaseJobs.run(
            on: connection, keys: [k.wait, k.delayed, k.active, k.failed, k.marker, k.events, k.meta],
            args: [RedisArg(k.prefix), RedisArg(now), RedisArg(max(1, count)), RedisArg(leaseDuration.milliseconds), RedisArg(worker),
                   RedisArg(rateLimit?.limit ?? 0), RedisArg(max(1, rateLimit?.window.milliseconds ?? 1000)), maxEvents, Self.ageing])
        guard let items = reply.array, items.count >= 2, let status = items[0].string, let due = items[1].int else {
            throw QueueError(.protocolError, "leaseJobs returned \(reply)")
        }
        var batch = LeaseBatch(nextDueMs: due >= 0 ? due : nil)
        switch status {
        case "P": batch.paused = true
        case "R": batch.rateLimitedUntilMs = due; batch.nextDueMs = nil
        default:
            var i = 2
            while i + 1 < items.count {
                let id = JobID(items[i].string ?? "")
                if let record = JobRecord(id: id, queue: queue, fields: items[i + 1]) {
                    let token = Int64(items[i + 1].array.flatMap { pairs in
                        stride(from: 0, to: pairs.count - 1, by: 2).first { pairs[$0].string == "tk" }.map { pairs[$0 + 1].int ?? 0 }
                    } ?? 0)
                    batch.jobs.append(LeasedJob(lease: Lease(id: id, queue: queue, token: token), record: record))
                }
                i += 2
            }
        }
        return batch
    }

    public func waitForWork(queue: QueueName, timeout: Duration) async throws {
        let k = keys(queue)
        let connection = blocking.withLock { b -> RedisLoopConnection in
            if let l = b[queue] { return l }
            let l = RedisLoopConnection(eventLoop: configuration.eventLoopGroup.next(), configuration: configuration)
            b[queue] = l
            return l
        }
        // Kept well below the command timeout, which would otherwise drop the connection mid-wait.
        let cap = max(10, min(2000, configuration.commandTimeout.milliseconds / 2))
        let seconds = Double(min(max(timeout.milliseconds, 10), cap)) / 1000
        _ = try await connection.send(["BZPOPMIN", RedisArg(k.marker), RedisArg(String(seconds))]).check()
    }

    public func renew(_ leases: [Lease], duration: Duration) async throws -> [LeaseStatus] {
        var out = [LeaseStatus](repeating: .lost, count: leases.count)
        let expiry = Clock.nowMs() + duration.milliseconds
        for (queue, indices) in Dictionary(grouping: leases.indices, by: { leases[$0].queue }) {
            let k = keys(queue)
            var args: [RedisArg] = [RedisArg(k.prefix), RedisArg(expiry)]
            for i in indices { args += [RedisArg(leases[i].id.rawValue), RedisArg(leases[i].token)] }
            let reply = try await scripts.extendLeases.run(on: connection, keys: [k.active], args: args)
            for (i, r) in zip(indices, reply.array ?? []) {
                out[i] = r.int == 1 ? .held : r.int == 2 ? .cancelRequested : .lost
            }
        }
        return out
    }

    /// Runs `commands` in one transaction with the completion of job `id` by this process (``complete(_:result:)``),
    /// instead of in a round trip of their own: for what must exist once the job is completed, such as its document.
    /// Returns `false` (and keeps nothing) when too many jobs have riders waiting; send the commands yourself then.
    /// A failed or released attempt drops its riders.
    public func ride(_ commands: [[RedisArg]], withCompletionOf id: JobID) -> Bool {
        completionRiders.withLock { r in
            guard r[id] != nil || r.count < Self.riderCapacity else { return false }
            r[id] = commands
            return true
        }
    }

    public func complete(_ lease: Lease, result: Data?) async throws -> Bool {
        let k = keys(lease.queue)
        let keys = [k.active, k.completed, k.events, k.meta]
        let args: [RedisArg] = [RedisArg(k.prefix), RedisArg(Clock.nowMs()), maxEvents,
                                RedisArg(lease.id.rawValue), RedisArg(lease.token), RedisArg(result.map { [UInt8]($0) } ?? [])]
        var reply: RedisReply?
        if let riders = completionRiders.withLock({ $0.removeValue(forKey: lease.id) }) {
            reply = try await completeWithRiders(riders, lease: lease, script: scripts.completeJobs.command(keys: keys, args: args))
        }
        if reply == nil {
            // Completions sent together on a connection (in one turn of its event loop) go to Redis as one script call.
            reply = try await scripts.completeJobs.run(on: connection, keys: keys, args: args, items: (headCount: 3, count: 1))
        }
        guard let outcome = reply?.array, outcome.count == 1 else {
            throw QueueError(.protocolError, "completeJobs returned \(String(describing: reply))")
        }
        let completed = outcome[0].int == 1
        // A wait in this process (`?wait`) ends now, not when the event comes back through the stream.
        if completed { hub.settle(lease.id, as: .completed) }
        return completed
    }

    /// The riders and the completion script in one MULTI/EXEC; the script's reply, or `nil` when the script must be run
    /// on its own (not loaded yet, or Redis forgot it; the riders have run then). When the transaction did not run, the
    /// riders are kept for the next attempt to complete.
    private func completeWithRiders(_ riders: [[RedisArg]], lease: Lease, script: [RedisArg]?) async throws -> RedisReply? {
        let commands = riders + (script.map { [$0] } ?? [])
        let keepForRetry = { self.completionRiders.withLock { r in if r[lease.id] == nil { r[lease.id] = riders } } }
        let replies: [RedisReply]
        do {
            replies = try await connection.send([["MULTI"]] + commands + [["EXEC"]])
        } catch {
            keepForRetry()
            throw error
        }
        guard case .array(let results)? = replies.last, results.count == commands.count else {
            // Refused before it ran (EXECABORT: a command was rejected when queued): nothing happened.
            keepForRetry()
            for case .error(let message) in replies.dropLast() { throw RedisReply.error(message, context: "the completion's transaction was refused") }
            throw QueueError(.unavailable, "the completion's transaction was not executed: \(replies.last.map { "\($0)" } ?? "no reply")")
        }
        for (command, reply) in zip(riders, results) {
            if case .error(let message) = reply {
                logger.error("a command riding with a completion failed", metadata: [
                    "job": "\(lease.id)", "command": "\(String(decoding: command.first?.bytes ?? [], as: UTF8.self))", "error": "\(message)"])
            }
        }
        guard script != nil, let last = results.last else { return nil }
        if case .error(let message) = last, message.hasPrefix("NOSCRIPT") { return nil }
        return try last.check()
    }

    public func fail(_ lease: Lease, error: AttemptError, retryAtMs: Int64?) async throws -> Bool {
        completionRiders.withLock { _ = $0.removeValue(forKey: lease.id) }
        let k = keys(lease.queue)
        let json = try JSONCoding.encoder.encode(error)
        let reply = try await scripts.failJob.run(
            on: connection, keys: [k.active, k.wait, k.delayed, k.failed, k.marker, k.events, k.meta],
            args: [RedisArg(k.prefix), RedisArg(lease.id.rawValue), RedisArg(lease.token), RedisArg(Clock.nowMs()),
                   RedisArg([UInt8](json)), RedisArg(retryAtMs ?? -1), maxEvents, Self.ageing])
        return reply.int == 1
    }

    public func release(_ lease: Lease) async throws -> Bool {
        completionRiders.withLock { _ = $0.removeValue(forKey: lease.id) }
        let k = keys(lease.queue)
        let reply = try await scripts.releaseJob.run(
            on: connection, keys: [k.active, k.wait, k.marker, k.events],
            args: [RedisArg(k.prefix), RedisArg(lease.id.rawValue), RedisArg(lease.token), RedisArg(Clock.nowMs()), maxEvents,
                   Self.ageing])
        return reply.int == 1
    }

    public func job(_ id: JobID, queue: QueueName) async throws -> JobRecord? {
        let reply = try await connection.send(["HGETALL", RedisArg(keys(queue).job(id))]).check()
        return JobRecord(id: id, queue: queue, fields: reply)
    }

    public func updateProgress(_ lease: Lease, progress: JobProgress) async throws -> Bool {
        let k = keys(lease.queue)
        let reply = try await scripts.updateProgress.run(
            on: connection, keys: [k.events],
            args: [RedisArg(k.prefix), RedisArg(lease.id.rawValue), RedisArg(lease.token), RedisArg(progress.percent),
                   RedisArg(progress.stage), maxEvents])
        return reply.int == 1
    }

    public func setRetention(_ retention: Retention, for queue: QueueName) async {
        let k = keys(queue)
        do {
            _ = try await command(["HSET", RedisArg(k.meta), "cc", RedisArg(retention.completedCount),
                                   "ca", RedisArg(retention.completedAge.milliseconds), "fc", RedisArg(retention.failedCount),
                                   "fa", RedisArg(retention.failedAge.milliseconds),
                                   "cp", RedisArg(retention.keepsCompletedPayload ? 1 : 0)])
        } catch {
            logger.warning("could not store retention", metadata: ["queue": "\(queue)", "error": "\(error)"])
        }
    }
}
