import FolioQueue
import Foundation
import Logging
import NIOCore

/// Reads the streams someone listens to (a queue's events, or its cancellation requests), on its own connection, and
/// feeds an ``EventHub`` per kind of stream. It waits in `XREAD … BLOCK`, so an idle reader costs one waiting connection,
/// not a polling loop; the connection is an event loop's, so the wait holds no thread.
final class RedisEventReader: Sendable {
    struct Follow: Sendable {
        var queue: QueueName
        var hub: EventHub
        var last: String
        /// Every entry added to the stream after this instant is delivered.
        var since: ContinuousClock.Instant
    }
    let connection: RedisLoopConnection
    let logger: Logger
    private let streams = LockedState<[String: Follow]>([:])
    private let stopped = LockedState(false)
    private let loop = LockedState<Task<Void, Never>?>(nil)

    init(connection: RedisLoopConnection, logger: Logger) {
        self.connection = connection; self.logger = logger
    }

    /// Starts following a stream from its current end, publishing its entries to `hub` as events of `queue`.
    /// Returns once entries added after this moment will be delivered, with the instant since which they are.
    @discardableResult
    func follow(_ queue: QueueName, key: String, into hub: EventHub) async throws -> ContinuousClock.Instant {
        if let since = streams.withLock({ $0[key]?.since }) { return since }
        let reply = try await connection.send(["XREVRANGE", RedisArg(key), "+", "-", "COUNT", "1"]).check()
        let now = ContinuousClock.now
        let last = reply.array?.first?.array?.first?.string ?? "0-0"
        let since = streams.withLock { s in
            if s[key] == nil { s[key] = Follow(queue: queue, hub: hub, last: last, since: now) }
            return s[key]!.since
        }
        loop.withLock { t in
            if t == nil { t = Task { await self.run() } }
        }
        return since
    }

    func stop() {
        stopped.withLock { $0 = true }
        connection.stop()
    }

    /// The shortest time from one `XREAD` to the next while entries keep coming: under load a reader that asked again at
    /// once would fetch one job's event per call (measured: 2.6 calls per rendered document, each a round trip and a wake-up
    /// of Redis). Pacing batches them; it delays only events of other processes' jobs, since a job finished here ends its
    /// waits at once (``EventHub/settle(_:as:)``).
    static let pace = Duration.milliseconds(5)

    private func run() async {
        while !stopped.withLock({ $0 }) {
            let issued = ContinuousClock.now
            let snapshot = streams.withLock { $0 }
            let names = Array(snapshot.keys)
            let block = RedisArg(max(10, min(500, connection.configuration.commandTimeout.milliseconds / 2)))
            var command: [RedisArg] = ["XREAD", "COUNT", "1000", "BLOCK", block, "STREAMS"]
            command += names.map { RedisArg($0) }
            command += names.map { RedisArg(snapshot[$0]!.last) }
            do {
                let reply = try await connection.send(command).check()
                for stream in reply.array ?? [] {
                    guard let parts = stream.array, parts.count == 2, let key = parts[0].string,
                          let follow = snapshot[key] else { continue }
                    var last = follow.last
                    for entry in parts[1].array ?? [] {
                        guard let e = entry.array, e.count == 2, let id = e[0].string else { continue }
                        last = id
                        let f = e[1].array ?? []
                        // One entry holds one kind of change for one or more jobs ("j" once per job).
                        var jobs: [String] = [], kind = ""
                        var i = 0
                        while i + 1 < f.count {
                            if f[i].string == "j" { jobs.append(f[i + 1].string ?? "") }
                            if f[i].string == "e" { kind = f[i + 1].string ?? "" }
                            i += 2
                        }
                        let ms = Int64(id.split(separator: "-").first ?? "0") ?? 0
                        for job in jobs {
                            follow.hub.publish(JobEvent(id: JobID(job), queue: follow.queue, kind: JobEvent.Kind(kind), atMs: ms))
                        }
                    }
                    streams.withLock { $0[key]?.last = last }
                }
                let rest = Self.pace - (ContinuousClock.now - issued)
                if reply.array?.isEmpty == false, rest > .zero {
                    // A timer of the connection's event loop: `Task.sleep` would arm one on Dispatch's timer thread and
                    // wake that thread twice per pause.
                    try? await connection.eventLoop.scheduleTask(in: .nanoseconds(rest.nanoseconds)) {}.futureResult.get()
                }
            } catch {
                if stopped.withLock({ $0 }) { return }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}

extension RedisDriver: JobEventSource {
    func eventReader() -> RedisEventReader {
        reader.withLock { r in
            if let r { return r }
            let connection = RedisLoopConnection(eventLoop: configuration.eventLoopGroup.next(), configuration: configuration)
            let created = RedisEventReader(connection: connection, logger: logger)
            r = created
            return created
        }
    }

    public func events(queue: QueueName) async throws -> AsyncStream<JobEvent> {
        let stream = hub.stream(queue: queue)
        try await eventReader().follow(queue, key: keys(queue).events, into: hub)
        return stream
    }

    public func wait(for id: JobID, queue: QueueName, timeout: Duration) async throws -> JobRecord {
        try await eventReader().follow(queue, key: keys(queue).events, into: hub)
        try await hub.waitForFinal(id, timeout: timeout) {
            try await self.job(id, queue: queue).map { $0.state.isFinished } ?? true
        }
        guard let r = try await job(id, queue: queue) else {
            throw QueueError(.notFound, "job \(id) does not exist in \(queue) (removed, trimmed, or never enqueued)")
        }
        return r
    }

    /// Reads only the job's state field before the wait, instead of its whole hash, and not again when the final event says
    /// how the job ended.
    public func waitUntilFinished(_ id: JobID, queue: QueueName, timeout: Duration) async throws -> JobState {
        try await waitUntilFinished(id, queue: queue, timeout: timeout, enqueuedSince: nil)
    }

    /// Reads no state at all when the queue's events were followed from before the job's enqueue began: its ending is
    /// then either still to come or among the hub's recent events.
    public func waitUntilFinished(_ id: JobID, queue: QueueName, timeout: Duration,
                                  enqueuedSince: ContinuousClock.Instant) async throws -> JobState {
        try await waitUntilFinished(id, queue: queue, timeout: timeout, enqueuedSince: Optional(enqueuedSince))
    }

    private func waitUntilFinished(_ id: JobID, queue: QueueName, timeout: Duration,
                                   enqueuedSince: ContinuousClock.Instant?) async throws -> JobState {
        let following = try await eventReader().follow(queue, key: keys(queue).events, into: hub)
        let heardEverything = enqueuedSince.map { following < $0 } ?? false
        let final = try await hub.waitForFinal(id, timeout: timeout, newJob: enqueuedSince != nil) {
            if heardEverything { return false }
            return try await self.state(of: id, queue: queue)?.isFinished ?? true
        }
        // The event says how the job ended; only a job that had ended before the wait (or was removed) is read again.
        if final == .completed { return .completed }
        if final == .failed { return .failed }
        guard let state = try await state(of: id, queue: queue) else {
            throw QueueError(.notFound, "job \(id) does not exist in \(queue) (removed, trimmed, or never enqueued)")
        }
        return state
    }

    private func state(of id: JobID, queue: QueueName) async throws -> JobState? {
        try await connection.send(["HGET", RedisArg(keys(queue).job(id)), "s"]).check().string.flatMap(JobState.init(rawValue:))
    }
}

extension RedisDriver: JobCancellationSource {
    public func cancellations(queue: QueueName) async throws -> AsyncStream<JobID> {
        let events = cancelHub.stream(queue: queue)
        try await eventReader().follow(queue, key: keys(queue).cancels, into: cancelHub)
        return AsyncStream { c in
            let t = Task {
                for await e in events { c.yield(e.id) }
                c.finish()
            }
            c.onTermination = { _ in t.cancel() }
        }
    }
}
