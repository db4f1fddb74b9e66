import FolioRender
import Foundation
import HTTPTypes
import Hummingbird

/// Reading JSON bodies with the service's limits and errors.
enum RequestBody {
    /// The body as bytes, inflated when sent compressed (``ContentDecoding``); 413 past `limit` (sent or inflated),
    /// 415 unless it is JSON (when `requireJSON`) in a coding that is read.
    static func bytes(_ request: Request, limit: Int, requireJSON: Bool = true) async throws -> [UInt8] {
        let coding = try ContentDecoding.coding(of: request.headers[.contentEncoding])
        if requireJSON {
            let type = request.headers[.contentType]?.lowercased() ?? ""
            guard MediaType.isJSON(MediaType.of(type)) else {
                throw APIError(.unsupportedMediaType, "unsupported_media_type",
                               "send the request as Content-Type: application/json" + (type.isEmpty ? "" : " (got \(type))"))
            }
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(.contentTooLarge, "body_too_large", "the body is \(length) bytes; the limit is \(limit)")
        }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            guard let coding else { return Array(buffer.readableBytesView) }
            return try ContentDecoding.inflate(buffer, coding: coding, limit: limit)
        } catch where (error as? HTTPError)?.status == .contentTooLarge || "\(type(of: error))".contains("TooMany") {
            throw APIError(.contentTooLarge, "body_too_large", "the body is larger than the limit of \(limit) bytes")
        }
    }

    /// Parses JSON with the renderer's strict parser; 400 with line, column and path when it is not JSON.
    static func json(_ bytes: [UInt8], limits: DataLimits) throws -> Value {
        try jsonWithMemberRanges(bytes, limits: limits).value
    }

    /// ``json(_:limits:)``, also telling where each top-level member lies in `bytes`.
    static func jsonWithMemberRanges(_ bytes: [UInt8], limits: DataLimits) throws -> (value: Value, memberRanges: [String: Range<Int>]) {
        if bytes.isEmpty { throw APIError.badRequest("the body is empty; send a JSON object", code: "malformed_json") }
        do { return try Value.parseWithMemberRanges(json: bytes, limits: limits) } catch {
            if error.message.contains("more than the limit") {
                throw APIError(.contentTooLarge, "data_too_large", error.message)
            }
            throw APIError.badRequest("the body is not valid JSON: \(error.message)", code: "malformed_json")
        }
    }
}

