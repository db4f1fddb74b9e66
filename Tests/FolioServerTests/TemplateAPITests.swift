import FolioQueue
import FolioRender
import FolioServer
import FolioWorkers
import Foundation
import NIOHTTP1
import Testing

/// `/v1/templates`: list, show, synchronous preview, and names that try to be paths.
@Suite("Templates API") struct TemplateAPITests {
    @Test("list names every shipped template with title, page size and version; show adds the data shape and sample")
    func listAndShow() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            let list = try await s.request(.GET, "/v1/templates", token: token)
            #expect(list.status == 200)
            let names = (list.json["items"]?.array ?? []).compactMap { $0["name"]?.string }
            #expect(names == s.engine.library.names)
            #expect(names.contains("invoice"))
            for item in list.json["items"]?.array ?? [] {
                #expect(item["title"]?.string != nil && item["version"]?.string != nil)
                #expect(item["pageSize"]?.string?.contains("{{") == false)
            }
            let show = try await s.request(.GET, "/v1/templates/invoice", token: token)
            #expect(show.status == 200)
            #expect(show.json["dataShape"]?.string?.contains("invoice:") == true)
            #expect(show.json["sample"]?["invoice"]?["number"]?.string == "HSE-INV-2025-000482")
        }
    }

    @Test("preview renders the sample as PNG by default, PDF on request, and given data; bad data is 422")
    func preview() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            let png = try await s.request(.POST, "/v1/templates/receipt/preview", token: token)
            #expect(png.status == 200)
            #expect(png.header("Content-Type") == "image/png")
            #expect(Array(png.body.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            let pdf = try await s.request(.POST, "/v1/templates/invoice/preview?format=pdf", token: token)
            #expect(pdf.header("Content-Type") == "application/pdf")
            #expect(try pdfInfo(pdf.body)["Pages"] == pdf.header("Folio-Pages"))
            let sample = try String(contentsOfFile: repositoryRoot + "/templates/invoice/sample.json", encoding: .utf8)
            let given = try await s.request(.POST, "/v1/templates/invoice/preview?format=pdf", token: token, json: sample)
            #expect(given.status == 200)
            let bad = try await s.request(.POST, "/v1/templates/invoice/preview", token: token, json: #"{"invoice": 3}"#)
            #expect(bad.status == 422)
            #expect((bad.json["error"]?["details"]?.array?.count ?? 0) > 1)
            #expect(try await s.request(.POST, "/v1/templates/invoice/preview?format=gif", token: token).status == 400)
        }
    }

    @Test("a template that does not load: its renders and previews answer 500 template_invalid with file, line and column; the others serve")
    func brokenTemplate() async throws {
        let dir = NSTemporaryDirectory() + "folio-templates-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: repositoryRoot + "/templates", toPath: dir)
        let file = dir + "/receipt/template.yaml"
        var lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
        let broken = lines.firstIndex { $0.hasPrefix("page:") }! + 1
        lines.insert("  bogus: [unclosed", at: broken)
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        try await TestService.with(templates: dir) { s in
            let token = try await TestService.token(["user"], company: "acme")
            let sample = try String(contentsOfFile: repositoryRoot + "/templates/receipt/sample.json", encoding: .utf8)
            let render = try await s.request(.POST, "/v1/renders", token: token, json: #"{"template": "receipt", "data": \#(sample)}"#)
            #expect(render.status == 500)
            #expect(render.errorCode == "template_invalid")
            let message = render.json["error"]?["message"]?.string ?? ""
            let line = try #require(s.engine.library.failures["receipt"]?.location?.line)
            #expect(line >= broken + 1, "the problem is at or after the broken line")
            #expect(message.contains("receipt/template.yaml:\(line):"), "\(message)")
            let preview = try await s.request(.POST, "/v1/templates/receipt/preview", token: token)
            #expect(preview.status == 500 && preview.errorCode == "template_invalid")
            #expect(try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest()).status == 200)
            let names = (try await s.request(.GET, "/v1/templates", token: token).json["items"]?.array ?? []).compactMap { $0["name"]?.string }
            #expect(names.contains("invoice") && !names.contains("receipt"))
        }
    }

    @Test("path-like and unknown names: 400 and 404, never a file outside the templates folder")
    func pathNames() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            for name in ["..%2F..%2Fetc%2Fpasswd", "..", "invoice%00", "a.b", "%2e%2e"] {
                let r = try await s.request(.GET, "/v1/templates/\(name)", token: token)
                #expect(r.status == 400 || r.status == 404, "\(name)")
                #expect(r.errorCode != nil, "\(name)")
                #expect(!r.text.contains("root:"), "\(name)")
            }
            let encoded = try await s.request(.GET, "/v1/templates/..%2F..%2Fetc%2Fpasswd", token: token)
            #expect(encoded.status == 400)
            #expect(encoded.errorCode == "invalid_template_name")
            let preview = try await s.request(.POST, "/v1/templates/..%2F..%2Fetc%2Fpasswd/preview", token: token)
            #expect(preview.status == 400)
            let unknown = try await s.request(.GET, "/v1/templates/nope", token: token)
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "unknown_template")
        }
    }
}
