import FolioServer
import Foundation
import NIOHTTP1
import Testing

/// Connections that go quiet are closed after `idle_timeout`; requests being answered are not.
@Suite("Idle connections") struct IdleTimeoutTests {
    func secondsUntilClosed(port: Int, sending bytes: String, limit: Int = 6) throws -> Double? {
        let connection = try RawConnection(port: port)
        if !bytes.isEmpty { connection.send(bytes) }
        return connection.secondsUntilClosed(limit: limit)
    }

    @Test("a connection that sends nothing, or stops mid-request, is closed after idle_timeout; a ?wait longer than it is answered")
    func quietConnectionsClose() async throws {
        var configuration = TestService.configuration()
        configuration.idleTimeout = .seconds(1)
        try await TestService.with(configuration: configuration) { s in
            let silent = try secondsUntilClosed(port: s.port, sending: "")
            #expect(silent.map { $0 < 4 } == true, "closed after \(String(describing: silent)) s")
            let halfway = try secondsUntilClosed(port: s.port, sending: "POST /v1/renders HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            #expect(halfway.map { $0 < 4 } == true, "closed after \(String(describing: halfway)) s")

            let admin = try await TestService.token(["admin"], company: nil)
            #expect(try await s.request(.POST, "/api/queue/pdf/pause", token: admin).status == 200)
            let start = ContinuousClock.now
            let waited = try await s.request(.POST, "/v1/renders?wait=3", token: admin, json: try TestService.invoiceRequest())
            #expect(waited.status == 202, "a request being answered outlives the idle timeout")
            #expect(ContinuousClock.now - start >= .seconds(3))
        }
    }
}
