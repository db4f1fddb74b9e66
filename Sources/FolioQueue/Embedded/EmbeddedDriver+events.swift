import Foundation

extension EmbeddedDriver: JobEventSource {
    public func events(queue: QueueName) async throws -> AsyncStream<JobEvent> { hub.stream(queue: queue) }

    public func wait(for id: JobID, queue: QueueName, timeout: Duration) async throws -> JobRecord {
        try await hub.waitForFinal(id, timeout: timeout) {
            try await self.job(id, queue: queue).map { $0.state.isFinished } ?? true
        }
        guard let r = try await job(id, queue: queue) else { throw QueueError(.notFound, "job \(id) does not exist in \(queue)") }
        return r
    }
}

extension EmbeddedDriver: JobCancellationSource {
    public func cancellations(queue: QueueName) async throws -> AsyncStream<JobID> {
        let events = cancelHub.stream(queue: queue)
        return AsyncStream { c in
            let t = Task {
                for await e in events { c.yield(e.id) }
                c.finish()
            }
            c.onTermination = { _ in t.cancel() }
        }
    }
}
