import Foundation

/// Runs short actions after a delay, for timeouts that are set for every job and almost always cancelled (a job's time
/// limit, a render's "still working" progress report).
///
/// A `Task.sleep` per job costs a task, a timer armed and disarmed on Dispatch's timer thread and that thread's wake-ups,
/// for every job: measured under end-to-end load with the server on one core, about 0.3 ms of CPU per document. Here
/// one ticking task serves every alarm: scheduling and cancelling are a dictionary insert and remove under a lock, and
/// the tick runs only while an alarm is pending. An alarm fires up to ``tick`` after its time.
public final class AlarmClock: Sendable {
    /// Identifies a scheduled alarm, to cancel it.
    public struct Token: Sendable, Hashable {
        fileprivate let key: Int
    }

    private struct Alarm {
        var due: ContinuousClock.Instant
        var action: @Sendable () -> Void
    }

    private struct State {
        var alarms: [Int: Alarm] = [:]
        var next = 0
        var ticking = false
    }

    private let state = LockedState(State())
    /// The resolution: how late an alarm may fire.
    public let tick: Duration

    /// The clock the queue engine and the workers share.
    public static let shared = AlarmClock()

    public init(tick: Duration = .milliseconds(50)) {
        self.tick = tick
    }

    /// Calls `action` once, about `delay` from now, unless ``cancel(_:)`` is called first. `action` runs on the clock's
    /// task and must return quickly (start a `Task` for anything that waits).
    @discardableResult
    public func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> Token {
        let due = ContinuousClock.now + delay
        let (key, start) = state.withLock { s -> (Int, Bool) in
            s.next &+= 1
            s.alarms[s.next] = Alarm(due: due, action: action)
            if s.ticking { return (s.next, false) }
            s.ticking = true
            return (s.next, true)
        }
        if start { Task { await self.run() } }
        return Token(key: key)
    }

    /// Stops an alarm that has not fired; nothing happens if it has.
    public func cancel(_ token: Token) {
        state.withLock { _ = $0.alarms.removeValue(forKey: token.key) }
    }

    /// How many alarms are waiting.
    public var pending: Int { state.withLock { $0.alarms.count } }

    private func run() async {
        while true {
            try? await Task.sleep(for: tick)
            let now = ContinuousClock.now
            let (due, done) = state.withLock { s -> ([@Sendable () -> Void], Bool) in
                var due: [(ContinuousClock.Instant, Int, @Sendable () -> Void)] = []
                for (key, alarm) in s.alarms where alarm.due <= now { due.append((alarm.due, key, alarm.action)) }
                for d in due { s.alarms[d.1] = nil }
                if s.alarms.isEmpty { s.ticking = false }
                // Earliest first, and in scheduling order among equals.
                due.sort { ($0.0, $0.1) < ($1.0, $1.1) }
                return (due.map(\.2), s.alarms.isEmpty)
            }
            for action in due { action() }
            if done { return }
        }
    }
}
