import FolioQueue
import FolioRender
import HTTPTypes
import Hummingbird
import Logging

/// Answers every error in the one shape `{"error": {"code", "message", "details"}}` and logs it: client mistakes at
/// `notice`, server faults at `error`. Unknown routes and methods come through here too.
struct ErrorMiddleware: RouterMiddleware {
    /// For telling a path answered with other methods (405) from one that does not exist (404).
    let allowedMethods: AllowedMethods

    func handle(_ request: Request, context: FolioRequestContext,
                next: (Request, FolioRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var api = Self.apiError(error)
            // No route matched (a handler's own 404 says a render or template does not exist, and stays).
            if api.status == .notFound, context.endpointPath == nil || context.endpointPath == "NotFound" {
                let allowed = allowedMethods.allowed(for: request.uri.path)
                if !allowed.isEmpty {
                    api = APIError(.methodNotAllowed, "method_not_allowed",
                                   "\(request.method.rawValue) is not answered here; \(request.uri.path) takes "
                                   + allowed.joined(separator: ", "), headers: [.allow: allowed.joined(separator: ", ")])
                }
            }
            let level: Logger.Level = api.status.code >= 500 ? .error : .notice
            var metadata: Logger.Metadata = [
                "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(api.status.code)",
                "code": "\(api.code)", "message": "\(api.message)"]
            // A server fault's cause goes to the log, where an operator needs it, not to the client.
            if api.status.code >= 500, !(error is APIError) { metadata["cause"] = "\(error)" }
            context.logger.log(level: level, "request refused", metadata: metadata)
            return try api.response(from: request, context: context)
        }
    }

    static func apiError(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as QueueError where e.code == .unavailable:
            return APIError(.serviceUnavailable, "unavailable", "the job store is unreachable; try again shortly", retryAfter: 1)
        case let e as QueueError where e.code == .refusesWrites:
            return APIError(.serviceUnavailable, "unavailable", "the job store takes no changes now (Redis is a read-only "
                            + "replica); try again shortly", retryAfter: 5)
        case let e as QueueError where e.code == .storeFull:
            return APIError(.serviceUnavailable, "store_full",
                            "the job store is full (Redis has reached its maxmemory) and accepts no new work; nothing was "
                            + "stored. Try again once documents have expired or the operator has made room", retryAfter: 30)
        case let e as HTTPError:
            let code: String
            switch e.status {
            case .notFound: code = "not_found"
            case .methodNotAllowed: code = "method_not_allowed"
            case .contentTooLarge: code = "body_too_large"
            case .unauthorized: code = "unauthorized"
            default: code = e.status.code < 500 ? "bad_request" : "internal"
            }
            let message = e.body ?? (e.status == .notFound ? "no such route" : e.status.reasonPhrase)
            return APIError(e.status, code, message)
        case let e as any HTTPResponseError:
            return APIError(e.status, e.status.code < 500 ? "bad_request" : "internal", e.status.reasonPhrase)
        case let e as QueueError:
            return APIError(.internalServerError, "internal", "the job store failed (\(e.code)); the cause is in the server's log")
        default:
            return APIError(.internalServerError, "internal", "the server could not answer: \(type(of: error))")
        }
    }
}
