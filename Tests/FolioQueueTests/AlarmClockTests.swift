import FolioQueue
import Foundation
import Testing

@Suite("Alarm clock")
struct AlarmClockTests {
    @Test("alarms fire once, in time order, no earlier than asked and within a tick or so; cancelled ones never fire")
    func firesAndCancels() async throws {
        let clock = AlarmClock(tick: .milliseconds(20))
        let fired = LockedState<[(String, ContinuousClock.Instant)]>([])
        let start = ContinuousClock.now
        for (name, ms) in [("late", 150), ("early", 40), ("cancelled", 60), ("middle", 90)] {
            let token = clock.schedule(after: .milliseconds(ms)) { fired.withLock { $0.append((name, .now)) } }
            if name == "cancelled" { clock.cancel(token) }
        }
        #expect(clock.pending == 3)
        try await Task.sleep(for: .milliseconds(600))
        let seen = fired.withLock { $0 }
        #expect(seen.map(\.0) == ["early", "middle", "late"])
        for (name, at) in seen {
            let asked: Duration = name == "early" ? .milliseconds(40) : name == "middle" ? .milliseconds(90) : .milliseconds(150)
            #expect(at - start >= asked, "\(name) fired early")
        }
        #expect(clock.pending == 0)
        // The clock starts ticking again for a new alarm after it went idle.
        let again = LockedState(false)
        clock.schedule(after: .milliseconds(10)) { again.withLock { $0 = true } }
        try await Task.sleep(for: .milliseconds(300))
        #expect(again.withLock { $0 })
    }
}
