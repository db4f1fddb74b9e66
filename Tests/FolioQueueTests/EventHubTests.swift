import FolioQueue
import Foundation
import Testing

@Suite("Event hub")
struct EventHubTests {
    /// A driver that learns of an ending in-process settles the job's waits at once; its subscribers hear of the ending
    /// only when the event is published (once), as every other instance does.
    @Test("settle ends the job's waits with its final state and tells no subscriber; publishing later reaches subscribers once")
    func settleEndsWaitsOnly() async throws {
        let hub = EventHub()
        let queue: QueueName = "q"
        let job = JobID("0001"), other = JobID("0002")
        let events = hub.stream(queue: queue)
        let waiting = Task { try await hub.waitForFinal(job, timeout: .seconds(20)) { false } }
        let otherWait = Task { try await hub.waitForFinal(other, timeout: .milliseconds(300)) { false } }
        // Settling before the wait has suspended is kept as well (the waiter is registered before its check).
        try await Task.sleep(for: .milliseconds(50))
        hub.settle(job, as: .completed)
        #expect(try await waiting.value == .completed)
        // Another job's wait is untouched by the settle: it runs out its own timeout.
        await #expect(throws: QueueError.self) { _ = try await otherWait.value }
        // A non-final kind settles nothing.
        let active = Task { try await hub.waitForFinal(job, timeout: .milliseconds(200)) { false } }
        hub.settle(job, as: .active)
        await #expect(throws: QueueError.self) { _ = try await active.value }
        // The stream event comes afterwards: subscribers get it once, and nothing from the settle came before it.
        hub.publish(JobEvent(id: job, queue: queue, kind: .completed, atMs: 1))
        hub.publish(JobEvent(id: other, queue: queue, kind: .enqueued, atMs: 2))
        var seen: [(JobID, JobEvent.Kind)] = []
        for await e in events {
            seen.append((e.id, e.kind))
            if e.id == other { break }
        }
        #expect(seen.map(\.0) == [job, other] && seen.map(\.1) == [.completed, .enqueued], "\(seen)")
    }
}
