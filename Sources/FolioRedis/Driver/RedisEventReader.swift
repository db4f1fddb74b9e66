import FolioQueue
import Foundation
import Logging

/// Reads the event streams of the queues someone listens to, on its own connection, and feeds an ``EventHub``.
/// It blocks in `XREAD … BLOCK`, so an idle reader costs one waiting connection, not a polling loop.
final class RedisEventReader: Sendable {
    let lane: RedisLane
    let hub: EventHub
    let logger: Logger
    private let streams = LockedState<[QueueName: (key: String, last: String)]>([:])
    private let stopped = LockedState(false)
    private let loop = LockedState<Task<Void, Never>?>(nil)

    init(lane: RedisLane, hub: EventHub, logger: Logger) {
        self.lane = lane; self.hub = hub; self.logger = logger
    }

    /// Starts following a queue's stream from its current end. Returns once events after this moment will be delivered.
    func follow(_ queue: QueueName, key: String) async throws {
        if streams.withLock({ $0[queue] != nil }) { return }
        let reply = try await lane.send(["XREVRANGE", RedisArg(key), "+", "-", "COUNT", "1"]).check()
        let last = reply.array?.first?.array?.first?.string ?? "0-0"
        streams.withLock { s in if s[queue] == nil { s[queue] = (key, last) } }
        loop.withLock { t in
            if t == nil { t = Task { await self.run() } }
        }
    }

    func stop() {
        stopped.withLock { $0 = true }
        lane.stop()
    }

    private func run() async {
        while !stopped.withLock({ $0 }) {
            let snapshot = streams.withLock { $0 }
            let names = Array(snapshot.keys)
            var command: [RedisArg] = ["XREAD", "COUNT", "1000", "BLOCK", "500", "STREAMS"]
            command += names.map { RedisArg(snapshot[$0]!.key) }
            command += names.map { RedisArg(snapshot[$0]!.last) }
            do {
                let reply = try await lane.send(command).check()
                for stream in reply.array ?? [] {
                    guard let parts = stream.array, parts.count == 2, let key = parts[0].string,
                          let queue = names.first(where: { snapshot[$0]!.key == key }) else { continue }
                    var last = snapshot[queue]!.last
                    for entry in parts[1].array ?? [] {
                        guard let e = entry.array, e.count == 2, let id = e[0].string else { continue }
                        last = id
                        let f = e[1].array ?? []
                        var job = "", kind = ""
                        var i = 0
                        while i + 1 < f.count {
                            if f[i].string == "j" { job = f[i + 1].string ?? "" }
                            if f[i].string == "e" { kind = f[i + 1].string ?? "" }
                            i += 2
                        }
                        let ms = Int64(id.split(separator: "-").first ?? "0") ?? 0
                        hub.publish(JobEvent(id: JobID(job), queue: queue, kind: JobEvent.Kind(kind), atMs: ms))
                    }
                    streams.withLock { $0[queue]?.last = last }
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
            let lane = RedisLane(endpoint: configuration.endpoint, configuration: configuration, name: "folio-redis-events", onConnect: [])
            let created = RedisEventReader(lane: lane, hub: hub, logger: logger)
            r = created
            return created
        }
    }

    public func events(queue: QueueName) async throws -> AsyncStream<JobEvent> {
        let stream = hub.stream(queue: queue)
        try await eventReader().follow(queue, key: keys(queue).events)
        return stream
    }

    public func wait(for id: JobID, queue: QueueName, timeout: Duration) async throws -> JobRecord {
        try await eventReader().follow(queue, key: keys(queue).events)
        try await hub.waitForFinal(id, timeout: timeout) {
            try await self.job(id, queue: queue).map { $0.state.isFinished } ?? true
        }
        guard let r = try await job(id, queue: queue) else {
            throw QueueError(.notFound, "job \(id) does not exist in \(queue) (removed, trimmed, or never enqueued)")
        }
        return r
    }
}
