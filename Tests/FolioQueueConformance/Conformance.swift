import Foundation
import FolioQueue

/// A driver under test with everything the suite exercises.
public typealias ConformingDriver = any QueueDriver & JobEventSource & QueueAdministration & QueueMonitoring

/// The promises every ``QueueDriver`` keeps, as scenarios that throw ``ConformanceFailure`` when one is broken.
///
/// Each scenario takes a factory and uses fresh queue names, so scenarios can run in parallel against one shared store.
/// The embedded and Redis test suites call the same functions unchanged.
public enum Conformance {
    public typealias Factory = @Sendable () async throws -> ConformingDriver

    /// Every scenario by name, for suites that want to run them all.
    public static let all: [(String, @Sendable (Factory) async throws -> Void)] = [
        ("fifoWithinPriority", fifoWithinPriority), ("prioritiesHonoured", prioritiesHonoured),
        ("delayedRunAtTheirTime", delayedRunAtTheirTime), ("batchEnqueue", batchEnqueue),
        ("retriesThenFailedWithAllErrors", retriesThenFailedWithAllErrors), ("permanentErrorSkipsRetries", permanentErrorSkipsRetries),
        ("manualRetry", manualRetry), ("staleLeaseIsRefused", staleLeaseIsRefused), ("idempotencyKeyDedupes", idempotencyKeyDedupes),
        ("cancelWaiting", cancelWaiting), ("cancelStopsRunningHandler", cancelStopsRunningHandler),
        ("timeoutStopsHandler", timeoutStopsHandler), ("pauseAndResume", pauseAndResume),
        ("retentionTrims", retentionTrims), ("completedPayloadDropped", completedPayloadDropped),
        ("cleanByAgeAndCount", cleanByAgeAndCount),
        ("progressAndResult", progressAndResult), ("rateLimitPerWindow", rateLimitPerWindow),
        ("gracefulShutdownHandsBack", gracefulShutdownHandsBack), ("waitForWorkWakesOnEnqueue", waitForWorkWakesOnEnqueue),
        ("leaseRenewalKeepsLongJob", leaseRenewalKeepsLongJob), ("removeAndList", removeAndList),
        ("statsAndHeartbeats", statsAndHeartbeats), ("waitsEndRightly", waitsEndRightly), ("tenantCounts", tenantCounts),
    ]
}

/// A broken promise, with where it was found.
public struct ConformanceFailure: Error, CustomStringConvertible {
    public var message: String
    public var location: String
    public var description: String { "\(location): \(message)" }
}

func check(_ condition: Bool, _ message: @autoclosure () -> String,
           file: StaticString = #fileID, line: UInt = #line) throws {
    if !condition { throw ConformanceFailure(message: message(), location: "\(file):\(line)") }
}

func unique(_ name: String) -> QueueName { QueueName("t\(name)-\(UUID().uuidString.prefix(8).lowercased())") }

struct Empty: Codable, Sendable { init() {} }
struct Numbered: Codable, Sendable { var n: Int }

extension JobRequest {
    static func test(_ queue: QueueName, kind: String = "k", n: Int = 0, priority: Priority = .normal, runAtMs: Int64 = 0,
                     maxAttempts: Int = 3, retry: RetryPolicy = .none, timeoutMs: Int64? = nil, key: String? = nil) -> JobRequest {
        JobRequest(queue: queue, kind: kind, payload: Data("{\"n\":\(n)}".utf8), priority: priority, runAtMs: runAtMs,
                   maxAttempts: maxAttempts, retry: retry, timeoutMs: timeoutMs, idempotencyKey: key)
    }
}

/// Runs a pool over the driver for the duration of `body`, then shuts it down and waits for it.
func withPool<R>(_ driver: ConformingDriver, _ registry: JobRegistry, _ table: QueueTable, queues: [QueueName],
                 grace: Duration = .seconds(5), _ body: (WorkerPool) async throws -> R) async throws -> R {
    let pool = WorkerPool(driver: driver, registry: registry, table: table,
                          configuration: .init(queues: queues, gracePeriod: grace, idleWait: .milliseconds(500)))
    let task = Task { try await pool.run() }
    do {
        let r = try await body(pool)
        pool.shutdown()
        try await task.value
        return r
    } catch {
        pool.shutdown()
        try? await task.value
        throw error
    }
}

/// Waits for the first event of `kind` on `queue` (subscribe first, then act).
func firstEvent(_ stream: AsyncStream<JobEvent>, _ kind: JobEvent.Kind, timeout: Duration = .seconds(10)) async throws -> JobEvent {
    try await withThrowingTaskGroup(of: JobEvent?.self) { g in
        g.addTask { for await e in stream where e.kind == kind { return e }; return nil }
        g.addTask { try await Task.sleep(for: timeout); return nil }
        defer { g.cancelAll() }
        guard let e = try await g.next() ?? nil else {
            throw ConformanceFailure(message: "no \(kind) event within \(timeout)", location: #fileID)
        }
        return e
    }
}
