import FolioQueue
import FolioRender
import FolioServer
import FolioWorkers
import Foundation
import NIOHTTP1
import Testing

/// `/openapi.json` stays true: every registered route is described, and every described operation is registered.
@Suite("OpenAPI document") struct OpenAPITests {
    @Test("every route is in the document with its method, and nothing else is")
    func routesMatchDocument() async throws {
        try await TestService.with(workers: false) { s in
            let r = try await s.request(.GET, "/openapi.json")
            #expect(r.status == 200)
            #expect(r.json["openapi"]?.string == "3.1.0")
            guard case .object(let paths)? = r.json["paths"] else { Issue.record("no paths"); return }
            var documented = Set<String>()
            for (path, item) in paths.pairs {
                guard case .object(let ops) = item else { continue }
                for method in ops.keys { documented.insert(method.uppercased() + " " + path) }
            }
            let registered = Set(s.service.routes.map { $0.method + " " + $0.path })
            #expect(registered.subtracting(documented).isEmpty, "routes missing from openapi.json: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented but not registered: \(documented.subtracting(registered).sorted())")
            #expect(registered.count >= 20)
        }
    }
}
