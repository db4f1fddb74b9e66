import FolioQueue
import FolioRender
import FolioWorkers
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP service: routes wired to the ``Engine``, with auth, limits, metrics and the OpenAPI document.
public final class FolioService: Sendable {
    public let configuration: ServerConfiguration
    public let engine: Engine
    public let metrics: ServiceMetrics
    let verifier: TokenVerifier?
    let admission: AdmissionControl
    let logger: Logger
    /// Templates' data shapes compiled for scanning request data (``ShapeScanPlan``), made on first use.
    let shapePlans = ShapePlanCache()
    /// Every route as `METHOD /path/{param}`, recorded as routes are added (the OpenAPI test checks them).
    let routeTable = LockedState<[(method: String, path: String)]>([])

    /// Refuses a public address without auth.
    public init(configuration: ServerConfiguration, engine: Engine, metrics: ServiceMetrics = ServiceMetrics(),
                logger: Logger = Logger(label: "folio.server")) async throws {
        if !configuration.auth.isEnabled && !ServerConfiguration.isLoopback(configuration.host)
            && !configuration.allowInsecurePublicBind {
            throw APIError(.internalServerError, "insecure_bind",
                           "refusing to listen on \(configuration.host) without auth: configure a JWT secret or public key, "
                           + "or bind to 127.0.0.1")
        }
        self.configuration = configuration
        self.engine = engine
        self.metrics = metrics
        self.verifier = configuration.auth.isEnabled ? try await TokenVerifier(configuration.auth) : nil
        self.admission = AdmissionControl(limits: configuration.limits)
        self.logger = logger
    }

    /// The routes this service answers, as `(method, /path/{param})`.
    public var routes: [(method: String, path: String)] { routeTable.withLock { $0 } }

    public func buildRouter() -> Router<FolioRequestContext> {
        // HEAD wherever GET is (RFC 9110 asks it of every server; load balancers check health with it).
        let router = Router(context: FolioRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: FrontMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware(allowedMethods: AllowedMethods { [routeTable] in routeTable.withLock { $0 } }))
        router.add(middleware: AuthMiddleware(verifier: verifier))
        routeTable.withLock { $0 = [] }
        addRenderRoutes(to: router)
        addTemplateRoutes(to: router)
        addOperatorRoutes(to: router)
        addHealthRoutes(to: router)
        return router
    }

    /// Registers a handler and records the route for the OpenAPI check.
    func route(_ router: Router<FolioRequestContext>, _ method: HTTPRequest.Method, _ path: String,
               _ handler: @escaping @Sendable (Request, FolioRequestContext) async throws -> Response) {
        let openAPIPath = path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
        routeTable.withLock { $0.append((method.rawValue, "/" + openAPIPath)) }
        router.on(RouterPath(path), method: method) { request, context in
            var context = context
            context.maxBodyBytes = self.configuration.limits.maxBodyBytes
            return try await handler(request, context)
        }
    }

    /// Connections the listening socket accepts per wake-up (NIO's default is 4).
    static let acceptsPerWakeUp: UInt = 256

    /// The Hummingbird application, with the engine's long-running companions (watch, sweeper, event counter) as services.
    public func application(services: [any Service] = [],
                            onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var all: [any Service] = [PrimaryWatch(engine: engine), ResultSweeper(engine: engine),
                                  EventCounter(engine: engine, metrics: metrics)]
        all += services
        let idle = configuration.idleTimeout.map {
            TimeAmount.nanoseconds($0.components.seconds * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000)
        }
        return Application(router: buildRouter(),
                           server: .http1(configuration: HTTP1Channel.Configuration(
                               additionalChannelHandlers: [ExpectContinueHandler()], idleTimeout: idle)),
                           configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                                   serverName: "Folio", backlog: configuration.listenBacklog),
                           services: all,
                           onServerRunning: { channel in
                               // NIO accepts 4 connections per wake-up of the listening socket by default; a burst of a
                               // thousand clients then waited in the kernel's queue, their first requests for seconds.
                               try? await channel.setOption(ChannelOptions.maxMessagesPerRead, value: Self.acceptsPerWakeUp)
                               await onServerRunning(channel.localAddress?.port ?? 0)
                           },
                           logger: logger)
    }
}
