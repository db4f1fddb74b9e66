import FolioServer
import Foundation
import Glibc
import NIOHTTP1
import Testing

/// Connections that go quiet are closed after `idle_timeout`; requests being answered are not.
@Suite("Idle connections") struct IdleTimeoutTests {
    /// Connects to the service, sends `bytes`, and returns how long the server took to close the connection (`nil` if it
    /// was still open after `limit`).
    func secondsUntilClosed(port: Int, sending bytes: String, limit: Int = 6) throws -> Double? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        var timeout = timeval(tv_sec: limit, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if !bytes.isEmpty { _ = bytes.withCString { send(fd, $0, strlen($0), 0) } }
        let start = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return Date().timeIntervalSince(start) }  // closed by the server
            if n < 0 { return nil }                              // still open when the wait ran out
        }
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
