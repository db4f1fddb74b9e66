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
        let third = JobID("0003")
        let active = Task { try await hub.waitForFinal(third, timeout: .milliseconds(200)) { false } }
        try await Task.sleep(for: .milliseconds(20))
        hub.settle(third, as: .active)
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

    /// `POST /v1/renders?wait=` registers its wait just after the enqueue; a job finished in between must not leave it
    /// waiting until its timeout, and the hub knows without the caller reading the job's state.
    @Test("a wait for a new job registered after its final event returns that event without checking; other waits check")
    func waitAfterTheEvent() async throws {
        let hub = EventHub()
        let queue: QueueName = "q"
        let job = JobID("0101")
        hub.publish(JobEvent(id: job, queue: queue, kind: .completed, atMs: 1))
        let kind = try await hub.waitForFinal(job, timeout: .seconds(5), newJob: true) {
            Issue.record("the check ran although the hub had heard the ending")
            return false
        }
        #expect(kind == .completed)
        let settled = JobID("0102")
        hub.settle(settled, as: .failed)
        #expect(try await hub.waitForFinal(settled, timeout: .seconds(5), newJob: true) { false } == .failed)
        // Any other job may have run again since (retried by an operator): its wait asks the caller's check, and waits
        // for a new ending when the check says the job is not finished.
        await #expect(throws: QueueError.self) { _ = try await hub.waitForFinal(job, timeout: .milliseconds(150)) { false } }
    }

    @Test("only the last 4,096 endings are remembered")
    func recentEndingsAreBounded() async throws {
        let hub = EventHub()
        for i in 0..<(EventHubTests.capacity + 10) { hub.settle(JobID(String(format: "%06d", i)), as: .completed) }
        // The oldest were forgotten: their wait falls back to the caller's check.
        #expect(try await hub.waitForFinal(JobID("000000"), timeout: .seconds(5), newJob: true) { true } == nil)
        #expect(try await hub.waitForFinal(JobID(String(format: "%06d", EventHubTests.capacity + 9)),
                                           timeout: .seconds(5), newJob: true) { true } == .completed)
    }

    static let capacity = 4_096
}

