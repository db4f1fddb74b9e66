import FolioQueue
import FolioRender
import Foundation

/// What a `render` job on the `pdf` queue carries: everything the worker needs, nothing it must look up elsewhere.
public struct RenderPayload: Codable, Sendable, Hashable {
    public var template: String
    /// The request's data as JSON text (already validated against the template when the job was accepted).
    public var data: String
    public var format: String
    public var filename: String?
    public var dpi: Double?
    /// 1-based pages for PNG/SVG; PNG and SVG without pages render page 1.
    public var page: Int?
    public var webhook: WebhookTarget?

    public init(template: String, data: String, format: String = "pdf", filename: String? = nil, dpi: Double? = nil,
                page: Int? = nil, webhook: WebhookTarget? = nil) {
        self.template = template; self.data = data; self.format = format; self.filename = filename; self.dpi = dpi
        self.page = page; self.webhook = webhook
    }
}

/// Where to tell a client that its render finished.
public struct WebhookTarget: Codable, Sendable, Hashable {
    public var url: String
    public init(url: String) { self.url = url }
}

/// The small result a render job stores in its record; the bytes live in a ``ResultStore``.
public struct RenderSummary: Codable, Sendable, Hashable {
    public var pages: Int
    public var bytes: Int
    public var contentType: String
    public var filename: String
    public var etag: String
    public var warnings: [String]
}

extension JobKind where Payload == RenderPayload {
    /// Renders one document on the `pdf` queue.
    public static var render: JobKind<RenderPayload> { JobKind("render", queue: .pdf) }
}
