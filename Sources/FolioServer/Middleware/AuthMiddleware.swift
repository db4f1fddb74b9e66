import Foundation
import HTTPTypes
import Hummingbird

/// Turns `Authorization: Bearer <jwt>` into the context's ``Identity``. Public paths pass without one; with auth off,
/// every request is the local operator.
struct AuthMiddleware: RouterMiddleware {
    let verifier: TokenVerifier?
    static let publicPaths: Set<String> = ["/healthz", "/readyz", "/openapi.json"]

    func handle(_ request: Request, context: FolioRequestContext,
                next: (Request, FolioRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        guard let verifier else {
            context.identity = .local
            return try await next(request, context)
        }
        if Self.publicPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "unauthorized", "a bearer token is required (Authorization: Bearer <jwt>)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthorized, "unauthorized", "the Authorization header must be 'Bearer <jwt>'")
        }
        context.identity = try await verifier.identity(token: String(parts[1]).trimmingCharacters(in: .whitespaces))
        return try await next(request, context)
    }
}
