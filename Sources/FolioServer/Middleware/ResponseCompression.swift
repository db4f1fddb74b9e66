import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Sends text-like responses (JSON, SVG documents, the OpenAPI document, metrics) gzip-compressed to clients that ask for
/// it with `Accept-Encoding`: an SVG invoice shrinks to a fifth, JSON more. PDF and PNG are compressed
/// already and go as they are; so do small bodies, `HEAD` answers, and anything streamed.
enum ResponseCompression {
    /// Below this many bytes the gzip header and the time are not worth it.
    static let minimumBytes = 1024
    /// From this many bytes on, compression runs on a thread of its own.
    static let offLoopBytes = 64 << 10

    /// Compresses `response` for `request` if it asks for gzip and the answer is worth it.
    static func apply(to response: inout Response, for request: Request) async throws {
        // Most API clients send no Accept-Encoding (curl, wrk, many HTTP libraries): nothing to decide for them, not even
        // Vary, which only matters to a cache that could hand a gzip answer to a client that did not ask for one. A part
        // of a document (206) is a range of its bytes as they are, never compressed.
        guard let accepted = request.headers[.acceptEncoding], response.status != .partialContent,
              Self.isCompressible(response.headers[.contentType]), response.headers[.contentEncoding] == nil else { return }
        // The answer depends on Accept-Encoding for these types, whether or not this one is compressed.
        response.headers[values: .vary].append("Accept-Encoding")
        guard request.method != .head, Self.acceptsGzip(accepted) else { return }
        if response.status == .notModified {
            response.headers[.eTag] = response.headers[.eTag].map(Self.weak)
            return
        }
        guard let length = response.body.contentLength, length >= Self.minimumBytes else { return }
        let collector = Collector()
        try await response.body.write(collector)
        let body = collector.buffer
        // A large body (an SVG document: 334 KB takes about 5 ms) is compressed off the event loop, whose other
        // connections would wait meanwhile.
        let compressed = length < Self.offLoopBytes
            ? body.withUnsafeReadableBytes { Gzip.compress($0) }
            : await withCheckedContinuation { done in
                DispatchQueue.global().async { done.resume(returning: body.withUnsafeReadableBytes { Gzip.compress($0) }) }
            }
        guard let compressed, compressed.count < length else {
            response.body = ResponseBody(byteBuffer: body)
            return
        }
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = String(compressed.count)
        // Another representation of the same content: a weak validator, which If-None-Match compares equal.
        response.headers[.eTag] = response.headers[.eTag].map(Self.weak)
        response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: compressed))
    }

    static func weak(_ etag: String) -> String { etag.hasPrefix("W/") ? etag : "W/" + etag }

    /// JSON (and `+json`), text, SVG and XML.
    static func isCompressible(_ contentType: String?) -> Bool {
        let type = MediaType.of(contentType)
        return MediaType.isJSON(type) || type.hasPrefix("text/") || type.hasSuffix("+xml") || type == "application/xml"
    }

    /// Whether `gzip` (or `*`) is listed with a quality above 0 (RFC 9110, section 12.5.3).
    static func acceptsGzip(_ header: String) -> Bool {
        var gzip: Double?, any: Double?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, !coding.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            if coding == "gzip" || coding == "x-gzip" { gzip = quality } else if coding == "*" { any = quality }
        }
        return (gzip ?? any ?? 0) > 0
    }

    /// Gathers a body written in pieces.
    final class Collector: ResponseBodyWriter, @unchecked Sendable {
        var buffer = ByteBuffer()
        func write(_ piece: ByteBuffer) async throws { var piece = piece; buffer.writeBuffer(&piece) }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
