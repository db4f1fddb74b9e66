import Foundation

/// Why a running handler was told to stop.
enum StopReason: Sendable {
    case timeout, cancelled, shutdown, leaseLost
}

/// The jobs a runner has in flight, with the means to cancel each. Keyed by lease, not job id: after a lost lease the same
/// job can be leased again by this runner while the old attempt is still winding down.
final class InFlight: Sendable {
    struct Item {
        var task: Task<Void, Never>?
        var reason: StopReason?
    }
    private let items = LockedState<[Lease: Item]>([:])
    private let emptied = WakeSignal()

    var count: Int { items.withLock { $0.count } }
    var leases: [Lease] { items.withLock { Array($0.keys) } }
    func add(_ lease: Lease) { items.withLock { $0[lease] = Item() } }
    /// Attaches the job's task; returns the stop reason if one was given before the task existed.
    func attach(_ lease: Lease, _ task: Task<Void, Never>) -> StopReason? {
        items.withLock { s in s[lease]?.task = task; return s[lease]?.reason }
    }
    func reason(_ lease: Lease) -> StopReason? { items.withLock { $0[lease]?.reason } }
    func remove(_ lease: Lease) {
        let empty = items.withLock { s in s.removeValue(forKey: lease); return s.isEmpty }
        if empty { emptied.signal() }
    }
    /// Stops one attempt: records why (the first reason wins) and cancels its task.
    func stop(_ lease: Lease, _ reason: StopReason) {
        let task = items.withLock { s -> Task<Void, Never>? in
            guard s[lease] != nil else { return nil }
            if s[lease]!.reason == nil { s[lease]!.reason = reason }
            return s[lease]!.task
        }
        task?.cancel()
    }
    /// Stops every attempt of a job (a cancellation request names the job, not the lease).
    func stop(job id: JobID, _ reason: StopReason) {
        for lease in leases where lease.id == id { stop(lease, reason) }
    }
    func stopAll(_ reason: StopReason) { for l in leases { stop(l, reason) } }
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
