import FolioRender
import HTTPTypes
import Hummingbird

/// An error answered as `{"error": {"code", "message", "details"}}` with its status (and `Retry-After` and any other
/// `headers` when set).
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: Value?
    public var retryAfter: Int?
    /// Headers the error's answer needs, such as `Allow` on a 405 or `Content-Range` on a 416.
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, details: Value? = nil, retryAfter: Int? = nil,
                headers: HTTPFields = [:]) {
        self.status = status; self.code = code; self.message = message; self.details = details; self.retryAfter = retryAfter
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public var body: Value {
        .obj(["error": .obj(["code": .string(code), "message": .string(message), "details": details ?? .null])])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var r = JSONResponse.make(body, status: status, headers: headers)
        if let retryAfter { r.headers[.retryAfter] = String(retryAfter) }
        return r
    }

    static func notFound(_ what: String) -> APIError { APIError(.notFound, "not_found", "\(what) does not exist") }
    static func badRequest(_ message: String, code: String = "bad_request") -> APIError { APIError(.badRequest, code, message) }
    static let forbidden = APIError(.forbidden, "forbidden", "your roles do not allow this")

    /// Problems listed by JSON path, as `details`.
    static func validation(_ problems: [(path: String, message: String)], message: String? = nil,
                           code: String = "validation_failed") -> APIError {
        APIError(.unprocessableContent, code,
                 message ?? (problems.count == 1 ? "\(problems[0].path): \(problems[0].message)"
                             : "the request has \(problems.count) problems"),
                 details: .array(problems.map { .obj(["path": .string($0.path), "message": .string($0.message)]) }))
    }
}

extension Value {
    /// An object from pairs, dropping `nil` values.
    static func obj(_ pairs: KeyValuePairs<String, Value?>) -> Value {
        .object(ValueObject(pairs.compactMap { k, v in v.map { (k, $0) } }))
    }
    static func int(_ i: Int) -> Value { .integer(Int64(i)) }
    static func int64(_ i: Int64?) -> Value? { i.map { .integer($0) } }
}
