import FolioRender
import FolioServer
import Foundation
import NIOHTTP1
import Testing

/// Request bodies sent compressed: gzip and deflate are inflated and served as if sent plain; a body that inflates past
/// the limit, one that is not what its coding says, and a coding not read each get a clear 4xx.
@Suite("Compressed request bodies") struct CompressedBodyTests {
    /// Compressed by the system's own tools: `gzip`, and Python's zlib for the two forms clients send as "deflate".
    func gzip(_ bytes: [UInt8]) throws -> [UInt8] { try output(of: ["gzip", "-c"], input: bytes) }

    func deflate(_ bytes: [UInt8], raw: Bool = false) throws -> [UInt8] {
        let wbits = raw ? -15 : 15
        return try output(of: ["python3", "-c", "import sys, zlib; c = zlib.compressobj(9, zlib.DEFLATED, \(wbits)); "
                                  + "sys.stdout.buffer.write(c.compress(sys.stdin.buffer.read()) + c.flush())"], input: bytes)
    }

    @Test("gzip, deflate (zlib) and raw deflate bodies render the same invoice as a plain body")
    func compressedRenders() async throws {
        try await TestService.with(configuration: TestService.configuration()) { s in
            let token = try await TestService.token(["user"], company: "acme")
            let plain = Array(try TestService.invoiceRequest().utf8)
            for (coding, body) in [("gzip", try gzip(plain)), ("deflate", try deflate(plain)), ("deflate", try deflate(plain, raw: true))] {
                #expect(body.count < plain.count / 2, "\(coding) compressed the request")
                let r = try await s.request(.POST, "/v1/renders?wait=30", token: token, body: body, contentType: "application/json",
                                            headers: [("Content-Encoding", coding)])
                #expect(r.status == 200, "\(coding): \(r.status) \(r.text.prefix(300))")
                #expect(r.header("Content-Type") == "application/pdf")
                #expect(try pdfInfo(r.body)["Pages"] == "1", "\(coding)")
            }
            let upper = try await s.request(.POST, "/v1/renders", token: token, body: try gzip(plain), contentType: "application/json",
                                            headers: [("Content-Encoding", " GZIP ")])
            #expect(upper.status == 202, "codings are read case-insensitively: \(upper.text.prefix(300))")
        }
    }

    @Test("a body inflating past the limit answers 413; one that is not its coding 400; a coding not read 415; the server keeps serving")
    func badCompressedBodies() async throws {
        let limits = ServiceLimits(maxBodyBytes: 64 << 10)
        try await TestService.with(configuration: TestService.configuration(limits: limits)) { s in
            let token = try await TestService.token(["user"], company: "acme")
            func post(_ body: [UInt8], _ coding: String) async throws -> Reply {
                try await s.request(.POST, "/v1/renders", token: token, body: body, contentType: "application/json",
                                    headers: [("Content-Encoding", coding)])
            }
            // 1 MiB of JSON whitespace, about a kilobyte compressed: far under the limit as sent, far over it inflated.
            let bomb = try gzip(Array(#"{"template": "invoice", "data": {"#.utf8) + [UInt8](repeating: 0x20, count: 1 << 20) + Array("}}".utf8))
            #expect(bomb.count < 4 << 10)
            let inflated = try await post(bomb, "gzip")
            #expect(inflated.status == 413 && inflated.errorCode == "body_too_large", "\(inflated.status) \(inflated.text)")
            #expect(inflated.json["error"]?["message"]?.string?.contains("inflates to more than the limit of 65536 bytes") == true)

            let plain = Array(try TestService.invoiceRequest().utf8)
            let whole = try gzip(plain)
            for (name, body, why) in [("not gzip at all", plain, "incorrect header check"),
                                      ("cut short", Array(whole.prefix(whole.count / 2)), "it ends before its last block"),
                                      ("followed by more", whole + Array("{}".utf8), "2 bytes follow its end")] {
                let r = try await post(body, "gzip")
                #expect(r.status == 400 && r.errorCode == "malformed_encoding", "\(name): \(r.status) \(r.text)")
                let message = r.json["error"]?["message"]?.string ?? ""
                #expect(message.contains("not valid gzip data (\(why))"), "\(name): \(message)")
            }
            let notDeflate = try await post(plain, "deflate")
            #expect(notDeflate.status == 400 && notDeflate.errorCode == "malformed_encoding")
            let empty = try await post(try gzip([]), "gzip")
            #expect(empty.status == 400 && empty.errorCode == "malformed_json", "an empty body inflated is still empty")

            for coding in ["br", "zstd", "gzip, gzip", "compress"] {
                let r = try await post(whole, coding)
                #expect(r.status == 415 && r.errorCode == "unsupported_encoding", "\(coding): \(r.status)")
                #expect(r.json["error"]?["message"]?.string?.contains("gzip or deflate") == true)
            }
            // Still serving, and identity is no coding at all.
            #expect(try await post(plain, "identity").status == 202)
        }
    }
}
