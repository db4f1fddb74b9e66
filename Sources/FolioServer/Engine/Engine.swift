import FolioQueue
import FolioRender
import FolioRedis
import FolioWorkers
import Foundation
import HTTPTypes
import Logging

/// The queue engine as the service sees it: one primary backend (Redis, when configured) and the embedded fallback.
///
/// New work goes to the primary while it is reachable and to the embedded backend while it is not; a job is looked up in
/// every reachable backend, so documents accepted during an outage stay reachable from this process.
public final class Engine: Sendable {
    public let backends: [Backend]
    public let table: QueueTable
    public let library: TemplateLibrary
    public let renderer: Renderer
    public let pool: RenderThreadPool
    let primaryUp = LockedState(true)
    /// The primary answers reads even while it takes no new work (a read-only replica).
    let primaryReadable = LockedState(true)
    let lastLatencyMs = LockedState<Double?>(nil)
    let logger: Logger

    /// `backends[0]` is the primary; with one backend there is no fallback.
    public init(backends: [Backend], table: QueueTable, library: TemplateLibrary, renderer: Renderer, pool: RenderThreadPool,
                logger: Logger = Logger(label: "folio.engine")) {
        precondition(!backends.isEmpty)
        self.backends = backends; self.table = table; self.library = library; self.renderer = renderer; self.pool = pool
        self.logger = logger
    }

    public var primary: Backend { backends[0] }
    public var hasFallback: Bool { backends.count > 1 }
    /// The primary is unreachable and work runs on the fallback.
    public var isDegraded: Bool { hasFallback && !primaryUp.withLock { $0 } }
    public var primaryLatencyMs: Double? { lastLatencyMs.withLock { $0 } }

    /// The backend new work goes to.
    public var current: Backend { isDegraded ? backends[1] : backends[0] }

    /// Backends worth asking now (an unreachable primary is skipped instead of waited on; a read-only one is asked).
    var reachable: [Backend] { isDegraded && !primaryReadable.withLock({ $0 }) ? Array(backends.dropFirst()) : backends }

    func markPrimary(up: Bool, readable: Bool? = nil, latencyMs: Double? = nil) {
        primaryReadable.withLock { $0 = readable ?? up }
        let was = primaryUp.withLock { s -> Bool in let w = s; s = up; return w }
        if let latencyMs { lastLatencyMs.withLock { $0 = latencyMs } }
        guard hasFallback, was != up else { return }
        if up { logger.notice("Redis is back; new work goes to Redis again") }
        else if readable == true {
            logger.error("Redis refuses writes (a read-only replica); new work runs in-process on the embedded engine until it takes them again")
        } else { logger.error("Redis is unreachable; new work runs in-process on the embedded engine until it returns") }
    }

    /// Enqueues on the current backend, falling back to the embedded one if the primary turns out to be unreachable.
    func enqueue<P>(_ kind: JobKind<P>, _ payload: P, options: JobOptions,
                    now: Int64 = Clock.nowMs()) async throws -> (JobID, Backend) {
        let backend = current
        do {
            return (try await backend.queue.enqueue(kind, payload, options: options, now: now), backend)
        } catch let error as QueueError where (error.code == .unavailable || error.code == .refusesWrites) && hasFallback
                    && backend.name == primary.name {
            markPrimary(up: false, readable: error.code == .refusesWrites)
            let fallback = backends[1]
            return (try await fallback.queue.enqueue(kind, payload, options: options, now: now), fallback)
        }
    }

    /// The job and the backend holding it; `nil` when no backend has it. While the primary cannot be read, a job not
    /// in the fallback may be in it: that is ``QueueError/Code/unavailable`` (answered 503), not "no such job".
    func find(_ id: JobID, queue: QueueName) async throws -> (JobRecord, Backend)? {
        let asked = reachable
        var primaryUnread = hasFallback && asked.count < backends.count
        for b in asked {
            do {
                if let r = try await b.driver.job(id, queue: queue) { return (r, b) }
            } catch let error as QueueError where error.code == .unavailable && b.name == primary.name && hasFallback {
                markPrimary(up: false)
                primaryUnread = true
            }
        }
        if primaryUnread { throw QueueError(.unavailable, "Redis is unreachable, and this job may be there") }
        return nil
    }

    /// Checks the primary with a round trip; used by ``PrimaryWatch`` and `/readyz`.
    func probePrimary() async -> Bool {
        guard hasFallback else { return true }
        let start = ContinuousClock.now
        do {
            _ = try await primary.driver.counts(queue: .pdf)
            let d = ContinuousClock.now - start
            // A replica answers reads and refuses every write: no place for new work.
            if let redis = primary.driver as? RedisDriver, try await !redis.acceptsWrites() {
                markPrimary(up: false, readable: true)
                return false
            }
            markPrimary(up: true, latencyMs: Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000)
            return true
        } catch {
            markPrimary(up: false)
            return false
        }
    }
}
