/// A one-bit "something changed" latch with waiters: ``signal()`` wakes every waiter, or, with none waiting, lets the next
/// ``wait(timeout:)`` return at once. This mirrors the Redis driver's marker key, so a wake-up between a worker's lease and its
/// wait is never lost.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextKey = 0
    }
    private let state = LockedState(State())

    func signal() {
        let ws = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            if s.waiters.isEmpty { s.pending = true; return [] }
            let ws = Array(s.waiters.values)
            s.waiters.removeAll()
            return ws
        }
        for w in ws { w.resume() }
    }

    /// Waits for the next signal, however long (or until the task is cancelled).
    func wait() async {
        if state.withLock({ s -> Bool in let p = s.pending; s.pending = false; return p }) { return }
        await waitUntilSignalled()
    }

    func wait(timeout: Duration) async {
        if state.withLock({ s -> Bool in let p = s.pending; s.pending = false; return p }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitUntilSignalled() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitUntilSignalled() async {
        let key = state.withLock { s -> Int in s.nextKey += 1; return s.nextKey }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if Task.isCancelled || s.pending { s.pending = false; return true }
                    s.waiters[key] = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let c = state.withLock { $0.waiters.removeValue(forKey: key) }
            c?.resume()
        }
    }
}
