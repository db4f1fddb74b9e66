import FolioQueue
import FolioRender
import HTTPTypes
import Hummingbird
import Prometheus

/// `/healthz` (the process answers), `/readyz` (it can take work; degraded while Redis is away), `/metrics`
/// (Prometheus text, admins only when auth is on) and `/openapi.json`.
extension FolioService {
    public static let version = "0.1.0"

    func addHealthRoutes(to router: Router<FolioRequestContext>) {
        route(router, .get, "/healthz") { _, _ in JSONResponse.make(.obj(["status": .string("ok")])) }
        route(router, .get, "/readyz") { _, _ in
            let primaryUp = await self.engine.probePrimary()
            let status = self.engine.hasFallback && !primaryUp ? "degraded" : "ready"
            // Degraded still takes work (in-process), so orchestrators keep routing to it.
            return JSONResponse.make(.obj(["status": .string(status), "engine": .string(self.engine.current.name),
                                           "templates": .int(self.engine.library.names.count)]))
        }
        route(router, .get, "/metrics") { _, context in
            let caller = try context.caller()
            guard caller.seesAllCompanies else { throw APIError.forbidden }
            for backend in self.engine.reachable {
                for q in self.engine.table.queues.keys {
                    if let stats = try? await QueueStats.collect(from: backend.driver, queue: q, sample: 200, failures: 0) {
                        self.metrics.queue(stats, backend: backend.name)
                    }
                }
            }
            var buffer: [UInt8] = []
            self.metrics.registry.emit(into: &buffer)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        route(router, .get, "/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}
