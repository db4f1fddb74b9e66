import Foundation

/// Why a running handler was told to stop.
enum StopReason: Sendable {
    case timeout, cancelled, shutdown, leaseLost
}

/// The jobs a runner has in flight, with the means to cancel each.
final class InFlight: Sendable {
    struct Item {
        var lease: Lease
        var task: Task<Void, Never>?
        var reason: StopReason?
    }
    private let items = LockedState<[JobID: Item]>([:])
    private let emptied = WakeSignal()

    var count: Int { items.withLock { $0.count } }
    var leases: [Lease] { items.withLock { $0.values.map(\.lease) } }
    func add(_ lease: Lease) { items.withLock { $0[lease.id] = Item(lease: lease) } }
    func attach(_ id: JobID, _ task: Task<Void, Never>) -> StopReason? {
        items.withLock { s in s[id]?.task = task; return s[id]?.reason }
    }
    func reason(_ id: JobID) -> StopReason? { items.withLock { $0[id]?.reason } }
    func remove(_ id: JobID) {
        let empty = items.withLock { s in s.removeValue(forKey: id); return s.isEmpty }
        if empty { emptied.signal() }
    }
    func stop(_ id: JobID, _ reason: StopReason) {
        let task = items.withLock { s -> Task<Void, Never>? in
            guard s[id] != nil else { return nil }
            if s[id]!.reason == nil { s[id]!.reason = reason }
            return s[id]!.task
        }
        task?.cancel()
    }
    func stopAll(_ reason: StopReason) { for l in leases { stop(l.id, reason) } }
    /// Waits until nothing is in flight or `timeout` passes; `true` if emptied.
    func waitEmpty(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while count > 0 {
            let left = deadline - ContinuousClock.now
            if left <= .zero { return false }
            await emptied.wait(timeout: min(left, .milliseconds(200)))
        }
        return true
    }
}
