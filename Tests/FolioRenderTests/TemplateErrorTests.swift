import Testing
@testable import FolioRender

/// Every mistake in a template file names the file, line and column, with an error code a caller can act on.
@Suite struct TemplateErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var code: RenderError.Code
        var line: Int
        var column: Int?
        var mentions: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "malformed YAML", yaml: "body:\n  - text: \"unclosed\n  - text: x\n", code: .templateSyntax,
             line: 4, column: nil, mentions: "starts at line 2"),
        Case(name: "tab indentation", yaml: "body:\n\t- text: x\n", code: .templateSyntax, line: 2, column: nil, mentions: ""),
        Case(name: "unknown top-level key", yaml: "bodyy: []\nbody: []\n", code: .templateInvalid, line: 1, column: 1,
             mentions: "did you mean 'body'"),
        Case(name: "unknown element key", yaml: "body:\n  - text: hi\n    colour: red\n", code: .templateInvalid,
             line: 3, column: 5, mentions: "did you mean 'color'"),
        Case(name: "element without a kind", yaml: "body:\n  - txt: hi\n", code: .templateInvalid, line: 2, column: 5,
             mentions: "did you mean 'text'"),
        Case(name: "two kinds in one element", yaml: "body:\n  - text: a\n    spacer: 2mm\n", code: .templateInvalid,
             line: 2, column: 5, mentions: "only one of"),
        Case(name: "if written inside the kind", yaml: "body:\n  - box:\n      if: x\n      content: []\n",
             code: .templateInvalid, line: 3, column: 7, mentions: "beside 'box:'"),
        Case(name: "bad length", yaml: "body:\n  - spacer: 12 furlongs\n", code: .templateInvalid, line: 2, column: 13,
             mentions: "not a length"),
        Case(name: "bad colour", yaml: "body:\n  - {text: a, color: '#12345'}\n", code: .templateInvalid, line: 2,
             column: nil, mentions: "not a colour"),
        Case(name: "unknown style", yaml: "styles:\n  h1: {size: 12}\nbody:\n  - {text: a, style: h2}\n",
             code: .templateInvalid, line: 4, column: nil, mentions: "unknown style 'h2'"),
        Case(name: "style extending itself", yaml: "styles:\n  a: {extends: b}\n  b: {extends: a}\nbody: []\n",
             code: .templateInvalid, line: 0, column: nil, mentions: "extends itself"),
        Case(name: "unknown filter", yaml: "body:\n  - text: \"{{ total | mony }}\"\n", code: .unknownFilter, line: 2,
             column: nil, mentions: "money"),
        Case(name: "expression syntax", yaml: "body:\n  - text: \"{{ a + }}\"\n", code: .expressionSyntax, line: 2,
             column: nil, mentions: ""),
        Case(name: "unclosed markup", yaml: "body:\n  - text: \"[b]bold\"\n", code: .templateInvalid, line: 2,
             column: nil, mentions: "never closed"),
        Case(name: "unknown page size", yaml: "page: {size: A9}\nbody: []\n", code: .templateInvalid, line: 1,
             column: nil, mentions: "not known"),
        Case(name: "row widths do not match cells", yaml: "body:\n  - row: {widths: [10mm], cells: [a, b]}\n",
             code: .templateInvalid, line: 2, column: nil, mentions: "2 cells"),
        Case(name: "table row spans too many columns", yaml: "body:\n  - table:\n      columns: ['*']\n      rows: [[a, b]]\n",
             code: .templateInvalid, line: 4, column: nil, mentions: "spans 2 columns"),
        Case(name: "bad each", yaml: "body:\n  - {each: lines, text: x}\n", code: .templateInvalid, line: 2, column: nil,
             mentions: "name in expression"),
        Case(name: "unknown data type", yaml: "data:\n  total: money\nbody: []\n", code: .templateInvalid, line: 2,
             column: nil, mentions: "money"),
        Case(name: "nested 900 levels deep", yaml: "body:\n  - " + String(repeating: "[", count: 900) + "x"
             + String(repeating: "]", count: 900) + "\n", code: .templateInvalid, line: 2, column: nil, mentions: "nests deeper"),
        Case(name: "missing body", yaml: "title: x\n", code: .templateInvalid, line: 0, column: nil, mentions: "needs 'body'"),
    ]

    @Test(arguments: cases)
    func reportsWhereAndWhat(_ test: Case) {
        do {
            _ = try Harness.template(test.yaml, name: "broken")
            Issue.record("\(test.name): loaded without an error")
        } catch {
            #expect(error.code == test.code, "\(error)")
            #expect(error.location?.file == "broken/template.yaml", "\(error)")
            if test.line > 0 { #expect(error.location?.line == test.line, "\(error)") }
            if let column = test.column { #expect(error.location?.column == column, "\(error)") }
            if !test.mentions.isEmpty { #expect(error.description.contains(test.mentions), "\(error)") }
        }
    }

    @Test func everyShippedTemplateLoads() {
        #expect(Harness.library.failures.isEmpty, "\(Harness.library.failures)")
        #expect(Harness.library.names.count >= 1)
    }

    @Test func templateNamesCannotLeaveTheFolder() {
        for name in ["../../etc/passwd", "/etc/passwd", "a/b", "", "x\u{0}y"] {
            #expect(throws: RenderError.self) { try Harness.library.template(named: name) }
        }
    }
}

extension TemplateErrorTests {
    @Test func expressionErrorsPointAtTheColumnInsideTheString() {
        // `  - text: "Total {{ total | mony }}"`: the filter name starts at column 29.
        do {
            _ = try Harness.template("body:\n  - text: \"Total {{ total | mony }}\"\n", name: "columns")
            Issue.record("loaded")
        } catch {
            #expect(error.location?.line == 2)
            #expect(error.location?.column == 29, "\(error)")
        }
    }
}
