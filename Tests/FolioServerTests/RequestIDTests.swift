import FolioServer
import Foundation
import NIOHTTP1
import Testing

/// `X-Request-Id` on every answer: the caller's own id when it sends a usable one, else the one the server logs under.
@Suite("Request ids") struct RequestIDTests {
    @Test("every answer, errors and unknown routes included, carries an id; a caller's own id comes back; an unusable one is replaced")
    func requestIDs() async throws {
        try await TestService.with(configuration: TestService.configuration()) { s in
            let token = try await TestService.token(["user"], company: "acme")
            let ok = try await s.request(.GET, "/healthz")
            let generated = try #require(ok.header("X-Request-Id"))
            #expect(!generated.isEmpty && generated.count <= 128)
            #expect(try await s.request(.GET, "/healthz").header("X-Request-Id") != generated, "one id per request")
            let mine = "order-4711:render_2.a"
            let accepted = try await s.request(.POST, "/v1/renders", token: token, json: try TestService.invoiceRequest(),
                                               headers: [("X-Request-Id", mine)])
            #expect(accepted.status == 202 && accepted.header("X-Request-Id") == mine)
            for (status, path) in [(404, "/v1/renders/0123456789abcdef"), (404, "/v1/nothing"), (401, "/v1/templates")] {
                let r = try await s.request(.GET, path, token: status == 401 ? "forged" : token, headers: [("X-Request-Id", mine)])
                #expect(r.status == status && r.header("X-Request-Id") == mine, "\(path): \(r.status)")
            }
            for unusable in ["has space", String(repeating: "x", count: 129), "naïve", "a\"b"] {
                let r = try await s.request(.GET, "/healthz", headers: [("X-Request-Id", unusable)])
                let id = r.header("X-Request-Id")
                #expect(id != nil && id != unusable, "\(unusable) was not replaced")
            }
        }
    }
}
