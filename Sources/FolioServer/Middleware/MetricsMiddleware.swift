import HTTPTypes
import Hummingbird

/// Counts and times every request by method, matched route (not raw path: ids would explode the label set) and status.
struct MetricsMiddleware: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: FolioRequestContext,
                next: (Request, FolioRequestContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        metrics.request(method: request.method.rawValue, route: context.endpointPath ?? "unmatched",
                        status: Int(response.status.code), duration: ContinuousClock.now - start)
        return response
    }
}
