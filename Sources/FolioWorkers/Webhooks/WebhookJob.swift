import FolioQueue
import Foundation
import Logging

/// A `webhook` job on the `notification` queue: one signed POST to a client's URL, retried with backoff.
public struct WebhookDelivery: Codable, Sendable, Hashable {
    public var url: String
    public var event: String
    /// The JSON body, exactly as signed.
    public var body: String
    public init(url: String, event: String, body: String) { self.url = url; self.event = event; self.body = body }
}

extension JobKind where Payload == WebhookDelivery {
    public static var webhook: JobKind<WebhookDelivery> { JobKind("webhook", queue: .notification) }
}

/// What happened to a render, as a webhook tells it.
public struct WebhookEvent: Sendable, Hashable {
    public let rawValue: String
    public static let completed = WebhookEvent(rawValue: "render.completed")
    public static let failed = WebhookEvent(rawValue: "render.failed")
}

/// Turns a finished render into a `webhook` job.
public struct WebhookEnqueuer: Sendable {
    public let queue: JobQueue
    public let retry: RetryPolicy?
    public let maxAttempts: Int?

    public init(queue: JobQueue, retry: RetryPolicy? = nil, maxAttempts: Int? = nil) {
        self.queue = queue; self.retry = retry; self.maxAttempts = maxAttempts
    }

    public func enqueue(_ target: WebhookTarget, event: WebhookEvent, jobID: JobID, tenant: String?,
                        detail: [String: String], logger: Logger) async {
        var object: [String: String] = detail
        object["event"] = event.rawValue
        object["id"] = jobID.rawValue
        object["status"] = event == .completed ? "completed" : "failed"
        object["at"] = ISO8601DateFormatter().string(from: Date())
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let delivery = WebhookDelivery(url: target.url, event: event.rawValue, body: body)
        do {
            try await queue.enqueue(.webhook, delivery,
                                    options: JobOptions(maxAttempts: maxAttempts, retry: retry,
                                                        idempotencyKey: "webhook:\(jobID):\(event.rawValue)", tenant: tenant))
        } catch {
            logger.error("could not enqueue webhook", metadata: ["error": "\(error)", "url": "\(target.url)"])
        }
    }
}
