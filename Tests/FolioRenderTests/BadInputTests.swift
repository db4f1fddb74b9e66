import Foundation
import Testing
@testable import FolioRender

/// Bad data, bad values and limits: each a clear error with a code and a place, never a crash or a hang.
@Suite struct BadInputTests {
    static let template = """
        data:
          invoice: {number: string, issue_date: date}
          lines:
            - {description: string, quantity: number, amount_minor: integer}
        body:
          - text: "{{ invoice.number }}"
          - each: line in lines
            text: "{{ line.description }} {{ line.quantity }} {{ line.amount_minor }}"
        """

    @Test func everyDataProblemIsListedByPath() throws {
        let data = try Harness.json("""
            {"invoice": {"issue_date": "20/03/2025"},
             "lines": [{"description": "ok", "quantity": 1, "amount_minor": 100},
                       {"description": 7, "quantity": "two", "amount_minor": 1.5}]}
            """)
        do {
            _ = try Harness.pdf(try Harness.template(Self.template), data)
            Issue.record("rendered data that does not fit")
        } catch {
            #expect(error.code == .dataInvalid)
            let paths = Set(error.problems.compactMap(\.path))
            for path in ["$.invoice.number", "$.invoice.issue_date", "$.lines[1].description", "$.lines[1].quantity",
                         "$.lines[1].amount_minor"] {
                #expect(paths.contains(path), "\(path) in \(paths)")
            }
        }
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        var name: String
        var json: [UInt8]
        var mentions: String
        var testDescription: String { name }
    }

    static let malformed: [Malformed] = [
        Malformed(name: "not JSON", json: Array("{invoice: 1}".utf8), mentions: "line 1"),
        Malformed(name: "truncated", json: Array(#"{"a": [1, 2"#.utf8), mentions: ""),
        Malformed(name: "trailing garbage", json: Array(#"{"a": 1} x"#.utf8), mentions: ""),
        Malformed(name: "invalid UTF-8", json: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D], mentions: "UTF-8"),
        Malformed(name: "nested 10,000 deep", json: Array(String(repeating: "[", count: 10_000).utf8), mentions: "deep"),
        Malformed(name: "10 MB string", json: Array(("{\"notes\": \"" + String(repeating: "x", count: 10 << 20) + "\"}").utf8),
                  mentions: "limit"),
    ]

    @Test(arguments: malformed)
    func malformedDataIsRejectedClearly(_ test: Malformed) {
        do {
            _ = try Value.parse(json: test.json)
            Issue.record("\(test.name) parsed")
        } catch {
            #expect(error.code == .dataMalformed, "\(error)")
            if !test.mentions.isEmpty { #expect(error.description.contains(test.mentions), "\(error)") }
        }
    }

    @Test func divisionByZeroNamesTheExpression() throws {
        let template = try Harness.template("body:\n  - text: \"Share {{ total / count }}\"\n")
        do {
            _ = try Harness.pdf(template, try Harness.json(#"{"total": 10, "count": 0}"#))
            Issue.record("divided by zero")
        } catch {
            #expect(error.code == .evaluation)
            #expect(error.location?.line == 2, "\(error)")
        }
    }

    @Test func typeErrorsSayWhichTypesMet() throws {
        let template = try Harness.template("body:\n  - text: \"{{ name * 2 }}\"\n")
        do {
            _ = try Harness.pdf(template, try Harness.json(#"{"name": "Ann"}"#))
            Issue.record("multiplied a string")
        } catch {
            #expect(error.code == .evaluation)
            #expect(error.description.contains("string"), "\(error)")
        }
    }

    @Test func eachOverANonListIsAnError() throws {
        let template = try Harness.template("body:\n  - {each: 'x in name', text: '{{ x }}'}\n")
        #expect(throws: RenderError.self) { try Harness.pdf(template, try Harness.json(#"{"name": "Ann"}"#)) }
    }

    @Test func corruptAndOversizedImages() throws {
        let template = try Harness.template("body:\n  - image: {src: \"{{ logo }}\", width: 20mm}\n")
        let corrupt = "data:image/png;base64," + Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5, 6]).base64EncodedString()
        #expect { try Harness.pdf(template, .object(ValueObject([("logo", .string(corrupt))]))) } throws: { error in
            (error as? RenderError)?.code == .imageInvalid
        }
        #expect { try Harness.pdf(template, .object(ValueObject([("logo", .string("https://example.com/a.png"))]))) } throws: { error in
            (error as? RenderError)?.code == .imageInvalid && "\(error)".contains("never from a URL")
        }
        #expect { try Harness.pdf(template, .object(ValueObject([("logo", .string("../../etc/passwd"))]))) } throws: { error in
            (error as? RenderError)?.code == .imageInvalid
        }
        let png = try Data(contentsOf: URL(fileURLWithPath: Repository.root + "/Tests/FolioRenderTests/Fixtures/")
            .appendingPathComponent(FileManager.default.contentsOfDirectory(atPath: Repository.root + "/Tests/FolioRenderTests/Fixtures").first { $0.hasSuffix(".png") }!))
        let inline = "data:image/png;base64," + png.base64EncodedString()
        var limits = RenderLimits()
        limits.maxImageBytes = 10
        #expect { try Harness.pdf(template, .object(ValueObject([("logo", .string(inline))])), limits: limits) } throws: { error in
            (error as? RenderError)?.code == .imageInvalid
        }
        _ = try Harness.pdf(template, .object(ValueObject([("logo", .string(inline))])))
    }

    @Test func unknownBarcodeTypeAndUnencodableContent() throws {
        let template = try Harness.template("body:\n  - barcode: {type: \"{{ kind }}\", value: \"{{ value }}\"}\n")
        #expect { try Harness.pdf(template, try Harness.json(#"{"kind": "code999", "value": "1"}"#)) } throws: { error in
            (error as? RenderError)?.code == .barcodeInvalid && "\(error)".contains("code128")
        }
        #expect { try Harness.pdf(template, try Harness.json(#"{"kind": "ean13", "value": "ABC"}"#)) } throws: { error in
            (error as? RenderError)?.code == .barcodeInvalid && (error as? RenderError)?.location?.line == 2
        }
    }

    @Test func pageLimit() throws {
        let template = try Harness.template(LayoutCaseTests.tableTemplate)
        var limits = RenderLimits()
        limits.maxPages = 2
        #expect { try Harness.pdf(template, LayoutCaseTests.rows(300), limits: limits) } throws: { error in
            (error as? RenderError)?.code == .pageLimit && "\(error)".contains("2 pages")
        }
    }

    @Test("a table of 100,000 rows stops at the row limit, quickly")
    func hundredThousandRows() throws {
        let template = try Harness.template(LayoutCaseTests.tableTemplate)
        let started = ContinuousClock.now
        #expect { try Harness.pdf(template, LayoutCaseTests.rows(100_000)) } throws: { error in
            (error as? RenderError)?.code == .pageLimit && "\(error)".contains("rows")
        }
        #expect(ContinuousClock.now - started < .seconds(60), "bounded, not a hang")
    }

    @Test func renderTimeLimit() throws {
        let template = try Harness.template(LayoutCaseTests.tableTemplate)
        var limits = RenderLimits()
        limits.renderTime = .milliseconds(1)
        #expect { try Harness.pdf(template, LayoutCaseTests.rows(3000), limits: limits) } throws: { error in
            (error as? RenderError)?.code == .timeLimit
        }
    }

    @Test func unknownPageSizeFromData() throws {
        let template = try Harness.template("page: {size: \"{{ size }}\"}\nbody: [x]\n")
        #expect { try Harness.pdf(template, try Harness.json(#"{"size": "A9"}"#)) } throws: { error in
            (error as? RenderError)?.code == .dataInvalid
        }
        let letter = try Harness.pdf(template, try Harness.json(#"{"size": "Letter"}"#))
        #expect(letter.pageSizes[0].width == 612)
    }
}
