import ArgumentParser
import FolioQueue
import FolioServer
import Foundation
import Logging
import FolioWorkers
import ServiceLifecycle
import UnixSignals

/// `folio worker`: workers only, for more processes and machines sharing one Redis.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Run workers without the HTTP service.")

    @OptionGroup var settings: SettingsOptions
    @Option(help: "Comma-separated queues to work (default: pdf,notification).") var queues: String?

    func run() async throws {
        let s = try Settings(file: settings.config, overrides: try settings.overrides())
        let logger = bootstrapLogging(s)
        let engineConfig = try s.engine
        if engineConfig.redisURL == nil {
            logger.warning("no Redis configured: this worker runs its own in-process engine, which nothing else can enqueue to")
        }
        let engine = try Engine.make(engineConfig, logger: logger)
        await reportStartProblems(engine, logger: logger)
        let names = queues.map { $0.split(separator: ",").map { QueueName(String($0.trimmingCharacters(in: .whitespaces))) } }
        if let names, let unknown = names.first(where: { engine.table.queues[$0] == nil }) {
            throw ValidationError("unknown queue '\(unknown)'; queues: " + engine.table.queues.keys.map(\.rawValue).sorted().joined(separator: ", "))
        }
        let serverConfig = try s.server
        // Only the primary backend: a worker process has no HTTP clients whose work could fall back to it.
        let pools = Array(engine.workerPools(configuration: serverConfig, metrics: nil, queues: names,
                                             gracePeriod: .seconds(try s.int("grace_period")), logger: logger).prefix(1))
        let banner = startBanner(s, engine: engine, auth: serverConfig.auth.isEnabled, workers: true, queues: names, serving: false)
        FileHandle.standardOutput.write(Data("folio worker \(FolioService.version)\n\(banner)\n".utf8))
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: pools.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        engine.shutdown()
    }
}
