import FolioQueue
import FolioWorkers
import Foundation
import HTTPTypes
import Prometheus

/// The Prometheus registry of one service instance, and the metrics the service records into it.
///
/// A registry per instance (not the process-wide `MetricsSystem`), so several services in one test process stay apart.
public final class ServiceMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    static let latencyBuckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                             .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                             .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30)]
    public init() {}

    private struct RequestKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    /// The request metrics' handles by labels: the registry builds and checks label arrays on every lookup, which showed
    /// in the accept path's profile.
    private let requestHandles = LockedState<[RequestKey: (count: Counter, duration: DurationHistogram)]>([:])

    func request(method: String, route: String, status: Int, duration: Duration) {
        let key = RequestKey(method: method, route: route, status: status)
        let handles = requestHandles.withLock { $0[key] } ?? makeRequestHandles(key)
        handles.count.increment()
        handles.duration.record(duration)
    }

    private func makeRequestHandles(_ key: RequestKey) -> (count: Counter, duration: DurationHistogram) {
        let labels = [("method", key.method), ("route", key.route), ("status", String(key.status))]
        let handles = (registry.makeCounter(name: "folio_http_requests_total", labels: labels, help: "HTTP requests answered"),
                       registry.makeDurationHistogram(name: "folio_http_request_duration_seconds",
                                                      labels: [("method", key.method), ("route", key.route)],
                                                      buckets: Self.latencyBuckets, help: "Time to answer an HTTP request"))
        requestHandles.withLock { $0[key] = handles }
        return handles
    }

    /// Called by the render handler for each document.
    public func rendered(_ render: RenderObservation) {
        registry.makeDurationHistogram(name: "folio_render_duration_seconds",
                                       labels: [("template", render.template), ("format", render.format)],
                                       buckets: Self.latencyBuckets, help: "Time to render one document").record(render.duration)
        if !render.ok {
            registry.makeCounter(name: "folio_render_failures_total", labels: [("template", render.template)],
                                 help: "Renders that failed").increment()
        }
        if render.warnings > 0 {
            registry.makeCounter(name: "folio_render_warnings_total", labels: [("template", render.template)],
                                 help: "Warnings in rendered documents (missing glyphs, implausible trace radii)")
                .increment(by: Int64(render.warnings))
        }
    }

    /// Counts one job event (completed, failed, retrying, released = a stalled or handed-back lease, …).
    func jobEvent(queue: QueueName, kind: JobEvent.Kind) {
        if kind == .retrying {
            registry.makeCounter(name: "folio_job_retries_total", labels: [("queue", queue.rawValue)],
                                 help: "Failed attempts scheduled for another try").increment()
        } else if kind == .failed {
            registry.makeCounter(name: "folio_job_failures_total", labels: [("queue", queue.rawValue)],
                                 help: "Jobs that failed for good").increment()
        }
        registry.makeCounter(name: "folio_job_events_total", labels: [("queue", queue.rawValue), ("event", kind.rawValue)],
                             help: "Job state changes seen by this instance").increment()
    }

    /// Counts a job whose worker stopped renewing its lease.
    func stalled(queue: QueueName) {
        registry.makeCounter(name: "folio_job_stalls_total", labels: [("queue", queue.rawValue)],
                             help: "Jobs whose lease expired while running (worker died or hung)").increment()
    }

    /// Sets the gauges that describe a queue now.
    func queue(_ stats: QueueStats, backend: String) {
        let q = stats.queue.rawValue
        for (state, n) in [("waiting", stats.counts.waiting), ("delayed", stats.counts.delayed), ("active", stats.counts.active),
                           ("completed", stats.counts.completed), ("failed", stats.counts.failed)] {
            registry.makeGauge(name: "folio_queue_jobs", labels: [("queue", q), ("state", state), ("backend", backend)],
                               help: "Jobs per queue and state").set(Double(n))
        }
        registry.makeGauge(name: "folio_queue_depth", labels: [("queue", q), ("backend", backend)],
                           help: "Waiting plus delayed jobs").set(Double(stats.counts.waiting + stats.counts.delayed))
        for (quantile, ms) in [("0.5", stats.waitTime.p50), ("0.99", stats.waitTime.p99)] {
            registry.makeGauge(name: "folio_queue_wait_seconds", labels: [("queue", q), ("quantile", quantile), ("backend", backend)],
                               help: "Enqueue to start, recent completed jobs").set(Double(ms) / 1000)
        }
        for (quantile, ms) in [("0.5", stats.runTime.p50), ("0.99", stats.runTime.p99)] {
            registry.makeGauge(name: "folio_queue_run_seconds", labels: [("queue", q), ("quantile", quantile), ("backend", backend)],
                               help: "Start to finish, recent completed jobs").set(Double(ms) / 1000)
        }
        registry.makeGauge(name: "folio_queue_failed_last_hour", labels: [("queue", q), ("backend", backend)],
                           help: "Jobs failed in the last hour").set(Double(stats.throughput.failedLastHour))
        registry.makeGauge(name: "folio_queue_completed_last_hour", labels: [("queue", q), ("backend", backend)],
                           help: "Jobs completed in the last hour").set(Double(stats.throughput.completedLastHour))
    }
}
