import AsyncHTTPClient
import FolioQueue
import FolioRender
import FolioServer
import FolioWorkers
import Hummingbird
import Foundation
import JWTKit
import NIOCore
import NIOHTTP1
import Logging
import ServiceLifecycle

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

/// One renderer (font library) for every test service in the process.
let sharedRenderer: Renderer = try! Renderer(fonts: FontLibrary(directory: repositoryRoot + "/fonts"))

let httpClient = HTTPClient(eventLoopGroupProvider: .singleton,
                            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

/// Tests log only errors.
let quietLogger: Logger = { var l = Logger(label: "folio.test"); l.logLevel = .error; return l }()

let testSecret = "folio-test-secret-0123456789abcdef-xyz"

/// A response as a test sees it.
struct Reply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The body as JSON (FolioRender's strict parser).
    var json: Value { (try? Value.parse(json: body)) ?? .null }
    func header(_ name: String) -> String? { headers.first(name: name) }
    var errorCode: String? { if case .string(let s)? = json["error"]?["code"] { s } else { nil } }
}

extension Value {
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var int: Int? { if case .integer(let i) = self { Int(i) } else { nil } }
    var array: [Value]? { if case .array(let a) = self { a } else { nil } }
}

/// Claims a test signs; the same shape the service reads.
struct TestClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var roles: [String]
    var company: String?
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// At most one test service runs at a time: rendering is CPU-bound, and a machine of 2 cores shared with the queue's
/// timing-sensitive conformance suites should not be saturated by two dozen servers at once.
actor ServiceSlots {
    static let shared = ServiceSlots(1)
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []
    init(_ n: Int) { free = n }
    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiters.append($0) }
    }
    func release() {
        if waiters.isEmpty { free += 1 } else { waiters.removeFirst().resume() }
    }
}

/// A running service on a free loopback port with its workers, real HTTP, and tokens for any role.
struct TestService: Sendable {
    let port: Int
    let service: FolioService
    let engine: Engine

    var base: String { "http://127.0.0.1:\(port)" }

    static func configuration(auth: Bool = true, limits: ServiceLimits = ServiceLimits()) -> ServerConfiguration {
        ServerConfiguration(host: "127.0.0.1", port: 0, auth: AuthConfiguration(hmacSecret: auth ? testSecret : nil),
                            limits: limits, webhookPolicy: WebhookPolicy(allowedHosts: ["127.0.0.1"]),
                            webhookSecret: "hook-secret", webhookRetry: .fixed(.milliseconds(200)), webhookAttempts: 4)
    }

    /// Starts a service, runs `body`, and stops the service whatever happens.
    /// ``with(configuration:redisURL:workers:authKeys:keepCompleted:templates:_:)`` on the embedded engine, or on the
    /// test Redis when `redis` (skipped, returning `nil`, where no test Redis is configured): for tests run on both.
    @discardableResult
    static func with<T: Sendable>(redis: Bool, keepCompleted: Int? = nil,
                                  _ body: @Sendable (TestService) async throws -> T) async throws -> T? {
        if redis && redisURL == nil { return nil }
        return try await with(redisURL: redis ? redisURL : nil, keepCompleted: keepCompleted, body)
    }

    static func with<T: Sendable>(
        configuration: ServerConfiguration = configuration(), redisURL: String? = nil, workers: Bool = true,
        authKeys: AuthConfiguration? = nil, keepCompleted: Int? = nil, templates: String = repositoryRoot + "/templates",
        _ body: @Sendable (TestService) async throws -> T
    ) async throws -> T {
        await ServiceSlots.shared.acquire()
        do {
            let result = try await run(configuration: configuration, redisURL: redisURL, workers: workers, authKeys: authKeys,
                                       keepCompleted: keepCompleted, templates: templates, body)
            await ServiceSlots.shared.release()
            return result
        } catch {
            await ServiceSlots.shared.release()
            throw error
        }
    }

    private static func run<T: Sendable>(
        configuration: ServerConfiguration, redisURL: String?, workers: Bool, authKeys: AuthConfiguration?, keepCompleted: Int?,
        templates: String, _ body: @Sendable (TestService) async throws -> T
    ) async throws -> T {
        var configuration = configuration
        if let authKeys { configuration.auth = authKeys }
        let dir = NSTemporaryDirectory() + "folio-server-test-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var table = QueueTable.standard(cores: 2)
        table[.notification].rateLimit = nil
        if let keepCompleted { for name in table.queues.keys { table[name].retention.completedCount = keepCompleted } }
        let engine = try Engine.make(EngineConfiguration(redisURL: redisURL, redisKeyPrefix: "t" + UUID().uuidString.prefix(8),
                                                         resultsDirectory: dir, templatesDirectory: templates,
                                                         fontsDirectory: repositoryRoot + "/fonts", renderThreads: 2, table: table),
                                     renderer: sharedRenderer)
        defer { engine.shutdown() }
        let service = try await FolioService(configuration: configuration, engine: engine, logger: quietLogger)
        let pools = workers ? engine.workerPools(configuration: configuration, metrics: service.metrics, gracePeriod: .seconds(2), logger: quietLogger) : []
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = service.application(services: pools) { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [.init(service: app)], logger: quietLogger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask { try await group.run(); return nil }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            do {
                let result = try await body(TestService(port: port, service: service, engine: engine))
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// A signed HS256 token.
    static func token(_ roles: [String], company: String?, user: String = "u1", expiresIn: TimeInterval = 600,
                      secret: String = testSecret) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(TestClaims(sub: SubjectClaim(value: user), exp: ExpirationClaim(value: Date().addingTimeInterval(expiresIn)),
                                              roles: roles, company: company))
    }

    func request(_ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil, body: [UInt8]? = nil,
                 contentType: String? = nil, headers: [(String, String)] = []) async throws -> Reply {
        try await Client(port: port).request(method, path, token: token, json: json, body: body, contentType: contentType,
                                             headers: headers)
    }

    /// Real HTTP to a server on a loopback port (this process's or another's).
    struct Client: Sendable {
        let port: Int
        var base: String { "http://127.0.0.1:\(port)" }

    func request(_ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil, body: [UInt8]? = nil,
                 contentType: String? = nil, headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        } else if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        for (n, v) in headers { request.headers.replaceOrAdd(name: n, value: v) }
        let response = try await httpClient.execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
    }
    }

    /// The invoice sample as a render request body.
    static func invoiceRequest(format: String = "pdf", extra: String = "") throws -> String {
        let sample = try String(contentsOfFile: repositoryRoot + "/templates/invoice/sample.json", encoding: .utf8)
        return #"{"template": "invoice", "format": "\#(format)", "data": \#(sample)\#(extra)}"#
    }
}

/// What a command-line tool writes for `input` on its standard input (the input is written from another thread, so
/// neither side waits on a full pipe).
func output(of arguments: [String], input: [UInt8]) throws -> [UInt8] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = arguments
    let stdin = Pipe(), stdout = Pipe()
    p.standardInput = stdin; p.standardOutput = stdout; p.standardError = FileHandle.nullDevice
    try p.run()
    let writer = Thread {
        stdin.fileHandleForWriting.write(Data(input))
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return [UInt8](data)
}

/// Poppler's `pdfinfo` on PDF bytes.
func pdfInfo(_ pdf: [UInt8]) throws -> [String: String] {
    let data = try output(of: ["pdfinfo", "-"], input: pdf)
    var fields: [String: String] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return fields
}
