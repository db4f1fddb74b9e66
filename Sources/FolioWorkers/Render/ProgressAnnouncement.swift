import FolioQueue

/// A progress report made only if a render is still running after a while: a render that is over in a few milliseconds
/// has nothing to show, and each report is a round trip to the queue's store and an event to every listener.
struct ProgressAnnouncement: Sendable {
    private enum Phase {
        case armed
        case reporting(Task<Void, Never>)
        case closed
    }
    private let phase = LockedState(Phase.armed)
    private let alarm: AlarmClock.Token

    init(after delay: Duration, report: @escaping @Sendable () async -> Void) {
        let phase = self.phase
        alarm = AlarmClock.shared.schedule(after: delay) {
            phase.withLock { p in
                if case .armed = p { p = .reporting(Task { await report() }) }
            }
        }
    }

    /// Stops the report if it has not started; returns it if it has, so that a later report is not overtaken by it.
    func close() -> Task<Void, Never>? {
        AlarmClock.shared.cancel(alarm)
        return phase.withLock { p in
            defer { p = .closed }
            if case .reporting(let task) = p { return task }
            return nil
        }
    }
}
