import FolioQueue
import FolioRender
import Foundation

/// What a `render` job on the `pdf` queue carries: everything the worker needs, nothing it must look up elsewhere.
///
/// Stored as one JSON object with the data as a member (``jobPayloadBytes()``): the accept path copies the client's data
/// bytes in unchanged and the worker parses the payload once, data included.
public struct RenderPayload: Codable, Sendable, Hashable, JobPayloadCoding {
    public var template: String
    /// The request's data (already validated against the template when the job was accepted).
    public var data: RenderData
    public var format: String
    public var filename: String?
    public var dpi: Double?
    /// 1-based pages for PNG/SVG; PNG and SVG without pages render page 1.
    public var page: Int?
    public var webhook: WebhookTarget?
    /// A digest of the request that made the job, kept when it came with an `Idempotency-Key`, so that a repeat of the
    /// key with another request is told from a true repeat.
    public var requestDigest: String?

    public init(template: String, data: RenderData, format: String = "pdf", filename: String? = nil, dpi: Double? = nil,
                page: Int? = nil, webhook: WebhookTarget? = nil, requestDigest: String? = nil) {
        self.template = template; self.data = data; self.format = format; self.filename = filename; self.dpi = dpi
        self.page = page; self.webhook = webhook; self.requestDigest = requestDigest
    }

    /// A payload whose data is JSON text.
    public init(template: String, data: String, format: String = "pdf", filename: String? = nil, dpi: Double? = nil,
                page: Int? = nil, webhook: WebhookTarget? = nil) {
        self.init(template: template, data: .json(Array(data.utf8)), format: format, filename: filename, dpi: dpi, page: page,
                  webhook: webhook)
    }

    public func jobPayloadBytes() throws -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(128 + data.byteCountEstimate)
        func member(_ name: String, _ first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            Value.writeJSONString(name, into: &out)
            out.append(UInt8(ascii: ":"))
        }
        out.append(UInt8(ascii: "{"))
        member("template", true); Value.writeJSONString(template, into: &out)
        member("format"); Value.writeJSONString(format, into: &out)
        if let filename { member("filename"); Value.writeJSONString(filename, into: &out) }
        if let dpi { member("dpi"); Value.number(dpi).writeJSON(into: &out) }
        if let page { member("page"); out.append(contentsOf: String(page).utf8) }
        if let webhook { member("webhook"); Value.object(ValueObject([("url", .string(webhook.url))])).writeJSON(into: &out) }
        if let requestDigest { member("requestDigest"); Value.writeJSONString(requestDigest, into: &out) }
        member("data")
        switch data {
        case .json(let bytes): out.append(contentsOf: bytes)
        case .value(let value): value.writeJSON(into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// Reads the payload; `data` may also be a JSON string holding the data's text, as the first versions stored it.
    public static func decodeJobPayload(_ bytes: Data) throws -> RenderPayload {
        let root: Value
        do { root = try Value.parse(json: [UInt8](bytes), limits: DataLimits(maxBytes: .max)) } catch {
            throw JobError.permanent("the render payload is not JSON: \(error.message)", code: "decode_failed")
        }
        guard case .string(let template)? = root["template"], case .string(let format)? = root["format"] else {
            throw JobError.permanent("the render payload has no template or format", code: "decode_failed")
        }
        let data: RenderData
        switch root["data"] {
        case .string(let text)?: data = .json(Array(text.utf8))
        case let value?: data = .value(value)
        case nil: data = .value(.object(ValueObject()))
        }
        var page: Int?
        if case .integer(let n)? = root["page"] { page = Int(n) }
        var webhook: WebhookTarget?
        if case .string(let url)? = root["webhook"]?["url"] { webhook = WebhookTarget(url: url) }
        var filename: String?
        if case .string(let name)? = root["filename"] { filename = name }
        var digest: String?
        if case .string(let d)? = root["requestDigest"] { digest = d }
        return RenderPayload(template: template, data: data, format: format, filename: filename,
                             dpi: root["dpi"]?.doubleValue, page: page, webhook: webhook, requestDigest: digest)
    }

    enum CodingKeys: String, CodingKey { case template, data, format, filename, dpi, page, webhook, requestDigest }

    /// Through `Codable` the data travels as JSON text in a string (the first versions' form).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(template, forKey: .template)
        try c.encode(data.jsonText, forKey: .data)
        try c.encode(format, forKey: .format)
        try c.encodeIfPresent(filename, forKey: .filename)
        try c.encodeIfPresent(dpi, forKey: .dpi)
        try c.encodeIfPresent(page, forKey: .page)
        try c.encodeIfPresent(webhook, forKey: .webhook)
        try c.encodeIfPresent(requestDigest, forKey: .requestDigest)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(template: try c.decode(String.self, forKey: .template), data: try c.decode(String.self, forKey: .data),
                  format: try c.decode(String.self, forKey: .format), filename: try c.decodeIfPresent(String.self, forKey: .filename),
                  dpi: try c.decodeIfPresent(Double.self, forKey: .dpi), page: try c.decodeIfPresent(Int.self, forKey: .page),
                  webhook: try c.decodeIfPresent(WebhookTarget.self, forKey: .webhook))
        self.requestDigest = try c.decodeIfPresent(String.self, forKey: .requestDigest)
    }
}

/// A render's data: the JSON bytes a client sent (on the accept path), or the parsed value (in the worker).
public enum RenderData: Sendable, Hashable {
    case json([UInt8])
    case value(Value)

    /// The data as a value, parsed if it is still bytes.
    public func parsed() throws(RenderError) -> Value {
        switch self {
        case .json(let bytes): try Value.parse(json: bytes, limits: DataLimits(maxBytes: .max))
        case .value(let value): value
        }
    }

    var jsonText: String {
        switch self {
        case .json(let bytes): String(decoding: bytes, as: UTF8.self)
        case .value(let value): value.jsonText()
        }
    }

    var byteCountEstimate: Int {
        if case .json(let bytes) = self { return bytes.count }
        return 1024
    }
}

/// Where to tell a client that its render finished.
public struct WebhookTarget: Codable, Sendable, Hashable {
    public var url: String
    public init(url: String) { self.url = url }
}

/// The small result a render job stores in its record; the bytes live in a ``ResultStore``.
public struct RenderSummary: Codable, Sendable, Hashable, JobPayloadCoding {
    public var pages: Int
    public var bytes: Int
    public var contentType: String
    public var filename: String
    public var etag: String
    public var warnings: [String]
    /// The template and format rendered, so a completed render's status needs no payload (the `pdf` queue drops it at
    /// completion). `nil` in records written before they were kept here.
    public var template: String?
    public var format: String?
    /// The payload's ``RenderPayload/requestDigest``, kept past completion, when the payload is dropped.
    public var requestDigest: String?

    public init(pages: Int, bytes: Int, contentType: String, filename: String, etag: String, warnings: [String],
                template: String? = nil, format: String? = nil, requestDigest: String? = nil) {
        self.pages = pages; self.bytes = bytes; self.contentType = contentType; self.filename = filename; self.etag = etag
        self.warnings = warnings; self.template = template; self.format = format; self.requestDigest = requestDigest
    }

    /// The same JSON object as `Codable` writes, written directly: one per document, on the event loop.
    public func jobPayloadBytes() throws -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(160 + warnings.reduce(0) { $0 + $1.utf8.count + 3 })
        out += Array(#"{"pages":"#.utf8) + Array(String(pages).utf8)
        out += Array(#","bytes":"#.utf8) + Array(String(bytes).utf8)
        out += Array(#","contentType":"#.utf8); Value.writeJSONString(contentType, into: &out)
        out += Array(#","filename":"#.utf8); Value.writeJSONString(filename, into: &out)
        out += Array(#","etag":"#.utf8); Value.writeJSONString(etag, into: &out)
        out += Array(#","warnings":["#.utf8)
        for (i, w) in warnings.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            Value.writeJSONString(w, into: &out)
        }
        out += Array("]".utf8)
        if let template { out += Array(#","template":"#.utf8); Value.writeJSONString(template, into: &out) }
        if let format { out += Array(#","format":"#.utf8); Value.writeJSONString(format, into: &out) }
        if let requestDigest { out += Array(#","requestDigest":"#.utf8); Value.writeJSONString(requestDigest, into: &out) }
        out += Array("}".utf8)
        return Data(out)
    }

    public static func decodeJobPayload(_ bytes: Data) throws -> RenderSummary {
        try JSONCoding.decoder.decode(RenderSummary.self, from: bytes)
    }
}

extension JobKind where Payload == RenderPayload {
    /// Renders one document on the `pdf` queue.
    public static var render: JobKind<RenderPayload> { JobKind("render", queue: .pdf) }
}
