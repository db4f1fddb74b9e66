import FolioQueue

/// How long a connection waits before trying Redis again after a failed attempt: 50 ms doubling to 2 s. Until then,
/// requests fail at once with the last error, so callers learn that Redis is down without each waiting for a timeout.
struct ReconnectBackoff: Sendable {
    private var backoffMs: Int64 = 0
    private var nextAttemptMs: Int64 = 0
    private var lastError: QueueError?

    /// The error to fail a request with instead of trying to connect, or `nil` when an attempt may be made.
    func refusal(nowMs: Int64) -> QueueError? {
        nowMs < nextAttemptMs ? lastError : nil
    }

    mutating func connected() {
        backoffMs = 0
        lastError = nil
    }

    /// Records a failed attempt; the error to give the requests that waited for it.
    mutating func failed(_ error: any Error, nowMs: Int64) -> QueueError {
        let e = (error as? QueueError) ?? QueueError(.unavailable, "\(error)")
        if e.code == .schemaMismatch { return e }
        backoffMs = min(2000, max(50, backoffMs * 2))
        nextAttemptMs = nowMs + backoffMs
        lastError = QueueError(.unavailable, "\(e.message) (next attempt within \(backoffMs) ms)")
        return e
    }
}
