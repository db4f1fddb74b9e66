import FolioQueue
import FolioRedis
import FolioRender
import FolioWorkers
import Foundation
import HTTPTypes
import Logging
import ServiceLifecycle

/// What the engine is made of: where jobs and documents live, the templates and fonts, and the render threads.
public struct EngineConfiguration: Sendable {
    /// `redis://…`; `nil` runs the embedded engine only.
    public var redisURL: String?
    /// Where the file result store keeps documents (embedded engine and Redis fallback).
    public var resultsDirectory: String
    public var resultTimeToLive: Duration
    public var templatesDirectory: String
    public var fontsDirectory: String
    public var renderThreads: Int
    public var table: QueueTable
    /// The first part of every Redis key (separate deployments, or tests, sharing one Redis).
    public var redisKeyPrefix: String

    public init(redisURL: String? = nil, redisKeyPrefix: String = "folio", resultsDirectory: String = NSTemporaryDirectory() + "folio-results",
                resultTimeToLive: Duration = .seconds(24 * 3600), templatesDirectory: String = TemplateLibrary.defaultDirectory(),
                fontsDirectory: String = FontLibrary.defaultDirectory(), renderThreads: Int = ProcessInfoCores.count,
                table: QueueTable = .standard()) {
        self.redisURL = redisURL; self.resultsDirectory = resultsDirectory; self.resultTimeToLive = resultTimeToLive
        self.templatesDirectory = templatesDirectory; self.fontsDirectory = fontsDirectory
        self.renderThreads = renderThreads; self.table = table; self.redisKeyPrefix = redisKeyPrefix
    }
}

extension Engine {
    /// Builds the engine: Redis (primary) plus the embedded fallback when a URL is given, the embedded engine otherwise.
    /// Pass `renderer` to share one font library between engines (tests).
    public static func make(_ c: EngineConfiguration, renderer: Renderer? = nil,
                            logger: Logger = Logger(label: "folio.engine")) throws -> Engine {
        var table = c.table
        for name in table.queues.keys {
            table.queues[name]!.retention.completedAge = c.resultTimeToLive
            table.queues[name]!.retention.failedAge = max(c.resultTimeToLive, table.queues[name]!.retention.failedAge)
        }
        // A render's document is found through its job record (status, download, tenancy), so completed renders are kept
        // as long as their documents, `result_ttl`, however many there are: a count limit would make the first of a
        // large batch 404 within minutes while its document still exists.
        table.queues[.pdf]?.retention.completedCount = Int.max
        // What a completed render's status shows (template, format, pages, filename) is in its result, so its request's
        // data, kilobytes a render kept for a day, is dropped at completion.
        table.queues[.pdf]?.retention.keepsCompletedPayload = false
        let files = try FileResultStore(directory: c.resultsDirectory, timeToLive: c.resultTimeToLive)
        let embedded = Backend(name: "embedded", displayName: "embedded", driver: EmbeddedDriver(), results: files, table: table)
        var backends = [embedded]
        if let url = c.redisURL {
            let endpoint = try RedisEndpoint(url: url)
            let driver = try RedisDriver(configuration: RedisConfiguration(endpoint: endpoint,
                                                                                 keyPrefix: c.redisKeyPrefix), logger: logger)
            let redis = Backend(name: "redis", displayName: Self.redact(url), driver: driver,
                                results: RedisResultStore(driver: driver, timeToLive: c.resultTimeToLive), table: table)
            backends = [redis, embedded]
        }
        let renderer = try renderer ?? Renderer(fonts: FontLibrary(directory: c.fontsDirectory))
        return Engine(backends: backends, table: table, library: TemplateLibrary(directory: c.templatesDirectory),
                      renderer: renderer, pool: RenderThreadPool(threads: c.renderThreads), logger: logger)
    }

    /// A Redis URL without its password.
    public static func redact(_ url: String) -> String {
        guard var parts = URLComponents(string: url) else { return "redis://…" }
        if parts.password != nil { parts.password = "***" }
        return parts.string ?? "redis://…"
    }

    /// Stops Redis connection threads and render threads.
    public func shutdown() {
        for b in backends { (b.driver as? RedisDriver)?.shutdown() }
        pool.shutdown()
    }

    /// One worker pool per backend running the render and webhook handlers, for `folio serve` and `folio worker`.
    public func workerPools(configuration: ServerConfiguration, metrics: ServiceMetrics?, queues: [QueueName]? = nil,
                            gracePeriod: Duration = .seconds(30), logger: Logger = Logger(label: "folio.worker")) -> [WorkerPool] {
        var pools: [WorkerPool] = []
        for backend in backends {
            let registry = JobRegistry()
            let notifications = WebhookEnqueuer(queue: backend.queue, retry: configuration.webhookRetry,
                                                maxAttempts: configuration.webhookAttempts)
            let limits = RenderLimits(maxPages: configuration.limits.maxPages, renderTime: configuration.limits.renderTime)
            var observe: (@Sendable (RenderObservation) -> Void)?
            if let metrics { observe = { metrics.rendered($0) } }
            let handler = RenderHandler(renderer: renderer, library: library, pool: pool, results: backend.results,
                                        limits: limits, notifications: notifications, observe: observe)
            handler.register(in: registry)
            WebhookHandler(secret: configuration.webhookSecret, policy: configuration.webhookPolicy).register(in: registry)
            var log = logger
            log[metadataKey: "engine"] = "\(backend.name)"
            let poolConfiguration = WorkerPool.Configuration(queues: queues ?? [.pdf, .notification], gracePeriod: gracePeriod,
                                                             idleWait: .milliseconds(500))
            pools.append(WorkerPool(driver: backend.driver, registry: registry, table: table, configuration: poolConfiguration,
                                    logger: log))
        }
        return pools
    }
}
