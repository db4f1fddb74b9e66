import FolioQueue
import FolioWorkers
import Foundation
import HTTPTypes

/// Refuses work the service cannot take: per-company request rate (429), queue depth and a results folder short of space
/// (503), each with `Retry-After`.
final class AdmissionControl: Sendable {
    let limits: ServiceLimits
    private let windows = LockedState<[String: (minute: Int64, count: Int)]>([:])
    private let depth = LockedState<(atMs: Int64, backend: String, depth: Int)>((0, "", 0))
    private let space = LockedState<(atMs: Int64, bytes: Int64?)>((0, nil))

    init(limits: ServiceLimits) { self.limits = limits }

    /// Counts one render request for `company`; throws 429 past the per-minute limit.
    func admit(company: String) throws {
        let perMinute = limits.rendersPerMinutePerCompany
        guard perMinute > 0 else { return }
        let now = Clock.nowMs()
        let minute = now / 60_000
        let allowed = windows.withLock { w -> Bool in
            var entry = w[company] ?? (minute, 0)
            if entry.minute != minute { entry = (minute, 0) }
            entry.count += 1
            w[company] = entry
            if w.count > 10_000 { w = w.filter { $0.value.minute == minute } }
            return entry.count <= perMinute
        }
        if !allowed {
            let retry = Int(60 - (now / 1000) % 60)
            throw APIError(.tooManyRequests, "rate_limited",
                           "your company may submit \(perMinute) renders per minute; try again in \(retry) s", retryAfter: retry)
        }
    }

    /// Throws 503 when the backend's render queue already holds `maxQueueDepth` waiting jobs. Counts are cached for
    /// 250 ms so checking costs nothing per request under load.
    func checkDepth(_ backend: Backend) async throws {
        let now = Clock.nowMs()
        let cached = depth.withLock { $0 }
        var current = cached.depth
        if cached.backend != backend.name || now - cached.atMs > 250 {
            if let c = try? await backend.driver.counts(queue: .pdf) {
                current = c.waiting + c.delayed
                depth.withLock { $0 = (now, backend.name, current) }
            }
        }
        if current >= limits.maxQueueDepth {
            throw APIError(.serviceUnavailable, "queue_full",
                           "the render queue holds \(current) jobs (limit \(limits.maxQueueDepth)); try again shortly", retryAfter: 5)
        }
    }

    /// Forget the cached depth (tests that fill the queue on purpose).
    func invalidate() { depth.withLock { $0 = (0, "", 0) }; space.withLock { $0 = (0, nil) } }

    /// The free space of the results folder (read at most once a second) and whether it is under `minFreeResultsBytes`.
    func space(of files: FileResultStore) -> (free: Int64?, short: Bool) {
        let now = Clock.nowMs()
        var free = space.withLock { $0.atMs > now - 1_000 ? $0.bytes : nil }
        if free == nil {
            free = files.availableBytes()
            space.withLock { $0 = (now, free) }
        }
        return (free, free.map { $0 < limits.minFreeResultsBytes } ?? false)
    }

    /// Throws 503 `store_full` when the backend keeps documents in a folder with less free space than
    /// `minFreeResultsBytes`. The free space is read at most once a second.
    func checkSpace(_ backend: Backend) throws {
        guard let files = backend.results.store as? FileResultStore else { return }
        let (free, short) = space(of: files)
        if short, let free {
            throw APIError(.serviceUnavailable, "store_full",
                           "the results folder \(files.directory) has \(free >> 20) MiB free, under results_min_free_mb "
                           + "(\(limits.minFreeResultsBytes >> 20) MiB); nothing was accepted. Make room, or shorten result_ttl",
                           retryAfter: 30)
        }
    }
}
