import FolioQueue
import Foundation

/// A Redis connection with its own thread. Callers await; the blocking hiredis calls run on the lane's thread, not on the
/// Swift concurrency pool. Requests queued while the thread is busy are sent together as one pipeline.
///
/// The one exception is ``inlineGate``: a lane given one serves a request on the caller's thread when the connection is
/// connected and idle and the gate has room. That saves the two thread wake-ups of a hand-off (about 25 µs of a 80 µs
/// round trip on a 2-core machine) for a caller that sends one request at a time, at the price of holding one thread of the
/// pool for the round trip (up to the command timeout if Redis stalls). The driver gives one gate of size 1 to its pool
/// lanes, so at most one pool thread waits on Redis this way; blocking commands never run inline.
///
/// When the connection breaks the lane reconnects on the next request; while Redis stays unreachable, requests fail at once
/// with ``QueueError/Code/unavailable`` and connection attempts back off from 50 ms to 2 s.
final class RedisLane: @unchecked Sendable {
    struct Request {
        var commands: [[RedisArg]]
        var merge: Merge?
        var continuation: CheckedContinuation<[RedisReply], any Error>
    }

    /// Marks a one-command request whose command is a head (the first `headCount` arguments) followed by `items` items,
    /// and whose reply is an array with one element per item. Requests with the same `key` that are queued together go out
    /// as one command: the first one's head followed by every request's items. Each caller gets its own items' part of
    /// the array (or the whole reply when it is not an array, such as an error).
    struct Merge {
        var key: String
        var headCount: Int
        var items: Int
    }

    /// Most items one merged command carries.
    static let maxMergedItems = 256

    let endpoint: RedisEndpoint
    let configuration: RedisConfiguration
    private let onConnect: [[RedisArg]]
    private let condition = NSCondition()
    private var pending: [Request] = []
    private var stopped = false
    /// Someone (the thread, or a caller running inline) is using the connection.
    private var busy = false
    private let connection = RedisConnection()
    private var backoffMs: Int64 = 0
    private var nextAttemptMs: Int64 = 0
    private var lastError: QueueError?
    /// Commands sent by this lane, for `folio bench queue`.
    private(set) var commandsSent = 0

    /// Requests running inline across the lanes sharing this gate, and the most allowed; `nil`: never inline.
    let inlineGate: LockedState<(running: Int, limit: Int)>?

    init(endpoint: RedisEndpoint, configuration: RedisConfiguration, name: String, onConnect: [[RedisArg]],
         inlineGate: LockedState<(running: Int, limit: Int)>? = nil) {
        self.inlineGate = inlineGate
        self.endpoint = endpoint
        self.configuration = configuration
        self.onConnect = onConnect
        let thread = Thread { [self] in
            ThreadNaming.nameCurrentThread(name)
            self.loop()
        }
        thread.name = name
        thread.start()
    }

    func send(_ commands: [[RedisArg]]) async throws -> [RedisReply] {
        try await enqueue(commands, merge: nil)
    }

    /// Sends one command that may be merged with others of the same ``Merge/key``.
    func send(_ command: [RedisArg], merge: Merge) async throws -> RedisReply {
        try await enqueue([command], merge: merge)[0]
    }

    private func enqueue(_ commands: [[RedisArg]], merge: Merge?) async throws -> [RedisReply] {
        if let replies = try runInline(commands) { return replies }
        return try await withCheckedThrowingContinuation { c in
            condition.lock()
            if stopped {
                condition.unlock()
                c.resume(throwing: QueueError(.unavailable, "the Redis client was shut down"))
                return
            }
            pending.append(Request(commands: commands, merge: merge, continuation: c))
            condition.signal()
            condition.unlock()
        }
    }

    /// Runs the request on the calling thread when the connection is connected and idle and the gate has room; `nil` when
    /// not, and the request goes to the lane's thread.
    private func runInline(_ commands: [[RedisArg]]) throws -> [RedisReply]? {
        guard let gate = inlineGate else { return nil }
        guard gate.withLock({ g in
            if g.running >= g.limit { return false }
            g.running += 1
            return true
        }) else { return nil }
        defer { gate.withLock { $0.running -= 1 } }
        condition.lock()
        guard !busy && !stopped && pending.isEmpty && connection.isConnected else { condition.unlock(); return nil }
        busy = true
        commandsSent += commands.count
        condition.unlock()
        let result = Result { try connection.pipeline(commands) }
        condition.lock()
        busy = false
        // The thread sleeps while the connection is busy; it has work only if requests came meanwhile (or a stop).
        if !pending.isEmpty || stopped { condition.signal() }
        condition.unlock()
        return try result.get()
    }

    var sentCount: Int {
        condition.lock(); defer { condition.unlock() }
        return commandsSent
    }

    func send(_ command: [RedisArg]) async throws -> RedisReply {
        try await send([command])[0]
    }

    /// Stops the thread after the requests already queued.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while (pending.isEmpty && !stopped) || busy { condition.wait() }
            if pending.isEmpty && stopped {
                condition.unlock()
                connection.close()
                return
            }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            busy = true
            condition.unlock()
            run(batch)
            condition.lock()
            busy = false
            condition.unlock()
        }
    }

    private func run(_ batch: [Request]) {
        if !connection.isConnected {
            let now = Clock.nowMs()
            if now < nextAttemptMs, let e = lastError {
                for r in batch { r.continuation.resume(throwing: e) }
                return
            }
            do {
                try connection.connect(to: endpoint, connectTimeout: configuration.connectTimeout,
                                       commandTimeout: configuration.commandTimeout, onConnect: onConnect,
                                       schema: (configuration.keyPrefix + ":schema", RedisScripts.schemaVersion))
                backoffMs = 0
                lastError = nil
            } catch {
                backoffMs = min(2000, max(50, backoffMs * 2))
                nextAttemptMs = now + backoffMs
                let e = (error as? QueueError) ?? QueueError(.unavailable, "\(error)")
                if e.code == .schemaMismatch { for r in batch { r.continuation.resume(throwing: e) }; return }
                lastError = QueueError(.unavailable, "\(e.message) (next attempt within \(backoffMs) ms)")
                for r in batch { r.continuation.resume(throwing: e) }
                return
            }
        }
        // Where each request's replies are: `count` commands from `command`, or (merged) `count` items of the array
        // replied to `command`, from `item`.
        var all: [[RedisArg]] = []
        var places: [(command: Int, item: Int?, count: Int)] = []
        places.reserveCapacity(batch.count)
        var open: [String: (command: Int, items: Int)] = [:]
        for r in batch {
            guard let m = r.merge, r.commands.count == 1 else {
                places.append((all.count, nil, r.commands.count))
                all += r.commands
                continue
            }
            if let o = open[m.key], o.items + m.items <= Self.maxMergedItems {
                all[o.command] += r.commands[0][m.headCount...]
                places.append((o.command, o.items, m.items))
                open[m.key] = (o.command, o.items + m.items)
            } else {
                places.append((all.count, 0, m.items))
                open[m.key] = (all.count, m.items)
                all.append(r.commands[0])
            }
        }
        condition.lock(); commandsSent += all.count; condition.unlock()
        do {
            let replies = try connection.pipeline(all)
            for (r, p) in zip(batch, places) {
                guard let item = p.item else {
                    r.continuation.resume(returning: Array(replies[p.command..<(p.command + p.count)]))
                    continue
                }
                if case .array(let items) = replies[p.command], item + p.count <= items.count {
                    r.continuation.resume(returning: [.array(Array(items[item..<(item + p.count)]))])
                } else {
                    r.continuation.resume(returning: [replies[p.command]])
                }
            }
        } catch {
            for r in batch { r.continuation.resume(throwing: error) }
        }
    }
}
