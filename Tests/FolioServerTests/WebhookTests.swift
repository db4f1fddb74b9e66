import Crypto
import FolioQueue
import FolioRender
import FolioServer
import FolioWorkers
import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle
import NIOHTTP1
import Testing

/// A real HTTP receiver on loopback that records what it is sent and can fail the first `failFirst` calls.
final class WebhookReceiver: @unchecked Sendable {
    struct Call: Sendable { var headers: [String: String]; var body: String }
    private let lock = NSLock()
    private var calls: [Call] = []
    private var failuresLeft: Int
    private let (stream, continuation) = AsyncStream.makeStream(of: Call.self)

    init(failFirst: Int = 0) { failuresLeft = failFirst }

    func record(_ call: Call) -> Bool {
        lock.lock(); defer { lock.unlock() }
        calls.append(call)
        if failuresLeft > 0 { failuresLeft -= 1; return false }
        continuation.yield(call)
        return true
    }

    var count: Int { lock.lock(); defer { lock.unlock() }; return calls.count }

    /// The first call answered 2xx (or nil after `timeout`).
    func firstAccepted(timeout: Duration) async -> Call? {
        await withTaskGroup(of: Call?.self) { group in
            group.addTask { var it = self.stream.makeAsyncIterator(); return await it.next() }
            group.addTask { try? await Task.sleep(for: timeout); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Runs the receiver on a free port for the duration of `body`.
    func run<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for f in request.headers { headers[f.name.canonicalName.lowercased()] = f.value }
            let ok = self.record(Call(headers: headers, body: String(buffer: bytes)))
            return Response(status: ok ? .ok : .internalServerError)
        }
        let (ports, c) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { c.yield($0.localAddress?.port ?? 0) }, logger: quietLogger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [.init(service: app)], logger: quietLogger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask { try await group.run(); return nil }
            var it = ports.makeAsyncIterator()
            let port = await it.next() ?? 0
            do {
                let result = try await body(port)
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
}

@Suite("Webhooks") struct WebhookTests {
    @Test("on completion a signed POST arrives; a failing receiver is retried as a notification job until it answers 2xx")
    func deliveredSignedAndRetried() async throws {
        let receiver = WebhookReceiver(failFirst: 1)
        try await receiver.run { hookPort in
            try await TestService.with { s in
                let token = try await TestService.token(["user"], company: "acme")
                let url = "http://127.0.0.1:\(hookPort)/hook"
                let r = try await s.request(.POST, "/v1/renders", token: token,
                                            json: try TestService.invoiceRequest(extra: #", "webhook": {"url": "\#(url)"}"#))
                #expect(r.status == 202)
                let id = try #require(r.json["id"]?.string)
                let call = try #require(await receiver.firstAccepted(timeout: .seconds(60)))
                #expect(receiver.count == 2)
                let body = try Value.parse(json: call.body)
                #expect(body["id"]?.string == id)
                #expect(body["event"]?.string == "render.completed")
                let timestamp = try #require(call.headers["folio-timestamp"])
                #expect(abs((Int(timestamp) ?? 0) - Int(Date().timeIntervalSince1970)) < 120)
                let expected = WebhookHandler.signature(secret: "hook-secret", timestamp: timestamp, body: call.body)
                #expect(call.headers["folio-signature"] == expected)
                // Recomputed independently of the handler's helper.
                let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + "." + call.body).utf8),
                                                          using: SymmetricKey(data: Data("hook-secret".utf8)))
                #expect(call.headers["folio-signature"] == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
            }
        }
    }

    @Test("a render that fails for good sends render.failed with the job's error")
    func failureWebhook() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { hookPort in
            try await TestService.with(configuration: TestService.configuration(limits: ServiceLimits(maxPages: 1))) { s in
                let token = try await TestService.token(["user"], company: "acme")
                var sample = try String(contentsOfFile: repositoryRoot + "/templates/invoice/sample.json", encoding: .utf8)
                let line = #"{"line": 1, "sku": "X", "description": "Lens", "kind": "service", "quantity": 1, "unit_price_gross_minor": 0, "line_net_minor": 0, "line_vat_minor": 0, "line_gross_minor": 0, "vat_category": "E", "vat_rate_percent": 0}"#
                if let range = sample.range(of: #""lines": ["#) {
                    sample.insert(contentsOf: Array(repeating: line, count: 200).joined(separator: ",") + ",", at: range.upperBound)
                }
                let body = #"{"template": "invoice", "webhook": "http://127.0.0.1:\#(hookPort)/hook", "data": \#(sample)}"#
                let r = try await s.request(.POST, "/v1/renders", token: token, json: body)
                #expect(r.status == 202)
                let call = try #require(await receiver.firstAccepted(timeout: .seconds(60)))
                let json = try Value.parse(json: call.body)
                #expect(json["event"]?.string == "render.failed")
                #expect(json["id"]?.string == r.json["id"]?.string)
                #expect(json["error"]?.string?.contains("page_limit_exceeded") == true)
            }
        }
    }

    @Test("webhook URLs on loopback or private ranges are refused unless allowed; other schemes are refused")
    func allowList() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            for url in ["http://127.0.0.2/x", "http://10.1.2.3/x", "http://192.168.0.1/x", "http://169.254.169.254/latest",
                        "http://localhost:9/x", "http://[::1]/x", "file:///etc/passwd", "ftp://example.com/x", "http://u:p@example.com/"] {
                let r = try await s.request(.POST, "/v1/renders", token: token,
                                            json: try TestService.invoiceRequest(extra: #", "webhook": "\#(url)""#))
                #expect(r.status == 422, "\(url)")
                #expect(r.json["error"]?["details"]?.array?.first?["path"]?.string == "$.webhook", "\(url)")
            }
        }
        let policy = WebhookPolicy()
        #expect(policy.problem(with: "https://hooks.example.com/folio") == nil)
        #expect(policy.problem(with: "http://100.64.0.1/") != nil)
        #expect(policy.problem(with: "http://[::ffff:127.0.0.1]/") != nil)
        #expect(WebhookPolicy(allowedHosts: ["127.0.0.1"]).problem(with: "http://127.0.0.1:8080/") == nil)
    }
}
