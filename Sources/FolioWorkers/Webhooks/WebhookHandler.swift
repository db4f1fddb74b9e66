import AsyncHTTPClient
import Crypto
import FolioQueue
import Foundation
import NIOCore
import NIOHTTP1

/// Delivers `webhook` jobs: `POST` the body with `Folio-Timestamp` (Unix seconds) and
/// `Folio-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the shared secret>`.
/// A 2xx answer completes the job; anything else, or no answer, fails the attempt so the queue retries with backoff.
public struct WebhookHandler: Sendable {
    public let secret: String
    public let policy: WebhookPolicy
    public let timeout: Duration

    public init(secret: String, policy: WebhookPolicy, timeout: Duration = .seconds(10)) {
        self.secret = secret; self.policy = policy; self.timeout = timeout
    }

    /// One client for every delivery, redirects refused (a redirect could point into the private network).
    static let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                   configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    public func register(in registry: JobRegistry) {
        registry.register(JobKind<WebhookDelivery>.webhook) { delivery, context in
            try await self.deliver(delivery)
        }
    }

    /// `sha256=<hex>` over `"<timestamp>.<body>"`.
    public static func signature(secret: String, timestamp: String, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + "." + body).utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    public func deliver(_ delivery: WebhookDelivery) async throws {
        if let problem = policy.problem(with: delivery.url, resolve: true) {
            throw JobError.permanent(problem, code: "webhook_refused")
        }
        let timestamp = String(Int(Date().timeIntervalSince1970))
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Folio-Webhook/1")
        request.headers.add(name: "Folio-Event", value: delivery.event)
        request.headers.add(name: "Folio-Timestamp", value: timestamp)
        request.headers.add(name: "Folio-Signature", value: Self.signature(secret: secret, timestamp: timestamp, body: delivery.body))
        request.body = .bytes(ByteBuffer(string: delivery.body))
        let response: HTTPClientResponse
        do {
            response = try await Self.client.execute(request, timeout: .milliseconds(timeout.milliseconds))
        } catch {
            throw JobError.retryable("webhook \(delivery.url) did not answer: \(error)", code: "webhook_unreachable")
        }
        _ = try? await response.body.collect(upTo: 64 << 10)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw JobError.retryable("webhook \(delivery.url) answered \(response.status.code)", code: "webhook_status")
        }
    }
}
