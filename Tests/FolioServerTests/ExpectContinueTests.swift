import FolioServer
import Foundation
import Testing

/// `Expect: 100-continue`: clients that wait for the interim answer before sending a large body get it at once.
@Suite("Expect: 100-continue") struct ExpectContinueTests {
    @Test("a request with Expect: 100-continue gets 100 Continue before its body is sent, then its answer")
    func continueBeforeBody() async throws {
        try await TestService.with(configuration: TestService.configuration(auth: false), workers: false) { s in
            let body = Array(try TestService.invoiceRequest().utf8)
            let connection = try RawConnection(port: s.port)
            connection.send("POST /v1/renders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: \(body.count)\r\nExpect: 100-continue\r\n\r\n")
            let interim = connection.receive(within: 2) ?? "(nothing within 2 s)"
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "\(interim.prefix(80))")
            connection.send(body)
            var answer = interim.hasPrefix("HTTP/1.1 100 Continue\r\n\r\n") ? String(interim.dropFirst(25)) : ""
            if !answer.contains("HTTP/1.1 202") { answer += connection.receive(within: 5) ?? "" }
            #expect(answer.contains("HTTP/1.1 202 Accepted"), "\(answer.prefix(120))")
        }
    }
}
