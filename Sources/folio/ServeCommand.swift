import ArgumentParser
import FolioQueue
import FolioRender
import FolioServer
import FolioWorkers
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `folio serve`: the HTTP API and every worker in one process. Without Redis, the embedded engine and file result store.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the HTTP service and its workers.")

    @OptionGroup var settings: SettingsOptions
    @Option(help: "Address to listen on.") var host: String?
    @Option(help: "Port to listen on (0 picks one).") var port: Int?
    @Flag(help: "HTTP only: run no workers in this process.") var noWorkers = false

    func run() async throws {
        var extra: [String: String] = [:]
        if let host { extra["host"] = host }
        if let port { extra["port"] = String(port) }
        let s = try Settings(file: settings.config, overrides: try settings.overrides(extra: extra))
        let logger = bootstrapLogging(s)
        let engineConfig = try s.engine
        let serverConfig = try s.server
        let engine = try Engine.make(engineConfig, logger: logger)
        await reportStartProblems(engine, logger: logger)
        let service: FolioService
        do { service = try await FolioService(configuration: serverConfig, engine: engine, logger: logger) } catch let e as APIError {
            FileHandle.standardError.write(Data("error: \(e.message)\n".utf8))
            throw ExitCode(78)
        }
        let grace = Duration.seconds(try s.int("grace_period"))
        let pools: [WorkerPool] = noWorkers ? [] : engine.workerPools(configuration: serverConfig, metrics: service.metrics,
                                                                     gracePeriod: grace)
        let banner = startBanner(s, engine: engine, auth: serverConfig.auth.isEnabled, workers: !noWorkers)
        let app = service.application(services: pools) { port in
            let text = "folio \(FolioService.version) listening on http://\(serverConfig.host):\(port)\n\(banner)\n"
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if !serverConfig.auth.isEnabled {
            logger.warning("AUTH IS OFF: no JWT secret or public key is configured. Every request acts as a platform admin; listening on loopback (\(serverConfig.host)) only.")
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        engine.shutdown()
    }
}

/// What `serve` and `worker` print at start: engine, queues with their concurrency, templates. A worker (`serving`
/// false) has no HTTP side: no auth line, and no fallback, since no client's work could go to it; it waits for Redis.
func startBanner(_ s: Settings, engine: Engine, auth: Bool, workers: Bool, queues: [QueueName]? = nil,
                 serving: Bool = true) -> String {
    var lines: [String] = []
    let mode = !engine.hasFallback ? " (in-process; file results in \(s.string("results_dir")))"
        : serving ? " (embedded fallback while Redis is away)" : " (waits while Redis is away)"
    lines.append("  engine:    " + engine.primary.displayName + mode)
    if serving { lines.append("  auth:      " + (auth ? "JWT" : "OFF (loopback only)")) }
    if workers {
        let queues = (queues ?? [QueueName.pdf, .notification]).map { "\($0.rawValue)×\(engine.table[$0].concurrency)" }.joined(separator: ", ")
        lines.append("  queues:    " + queues + "  (render threads: \(engine.pool.threadCount))")
    } else {
        lines.append("  queues:    none in this process (--no-workers)")
    }
    var t = "  templates: \(engine.library.names.count) in \(engine.library.directory)"
    if !engine.library.failures.isEmpty { t += " (\(engine.library.failures.count) failed to load: \(engine.library.failures.keys.sorted().joined(separator: ", ")))" }
    lines.append(t)
    return lines.joined(separator: "\n")
}

func bootstrapLogging(_ s: Settings) -> Logger {
    let level = Logger.Level(rawValue: s.string("log_level")) ?? .info
    LoggingSystem.bootstrap { label in
        var h = StreamLogHandler.standardError(label: label)
        h.logLevel = level
        return h
    }
    var logger = Logger(label: "folio")
    logger.logLevel = level
    return logger
}
