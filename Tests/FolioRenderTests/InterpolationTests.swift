import Testing
import Yams
@testable import FolioRender

@Suite struct InterpolationTests {
    typealias F = ExpressionFixture

    func render(_ source: String, in scope: Scope = F.scope()) throws(RenderError) -> String {
        try Interpolation(parsing: source, location: F.location).render(in: scope)
    }

    @Test func plainValues() throws {
        #expect(try render("Invoice {{ invoice.number }}") == "Invoice INV-1")
        #expect(try render("{{lines[1].quantity}} × {{ half }} = {{ lines[1].quantity * half }}") == "2 × 0.5 = 1")
        #expect(try render("[{{ invoice.due_date }}]") == "[]")
        #expect(try render("{{ true }} {{ 2.50 }} {{ -3 }}") == "true 2.5 -3")
        #expect(try render("{{ flags }}") == "FREEFORM, PRISM THINNING")
    }

    @Test func constantTextAndSingleExpressions() throws {
        let constant = try Interpolation(parsing: "Thank you", location: F.location)
        #expect(constant.isConstant)
        #expect(constant.singleExpression == nil)
        let single = try Interpolation(parsing: "{{ lines }}", location: F.location)
        #expect(!single.isConstant)
        guard case .array(let rows)? = try single.singleExpression?.evaluate(in: F.scope()) else {
            Issue.record("no array")
            return
        }
        #expect(rows.count == 3)
        #expect(try single.value(in: F.scope()).arrayValue?.count == 3)
        #expect(try Interpolation(parsing: "n={{ 1 }}", location: F.location).value(in: F.scope()) == .string("n=1"))
    }

    @Test func pageNumbers() throws {
        let footer = try Interpolation(parsing: "Page {{ page }} of {{ pages }}", location: F.location)
        #expect(footer.usesPageNumbers)
        #expect(!(try Interpolation(parsing: "{{ invoice.number }}", location: F.location)).usesPageNumbers)
        var scope = F.scope()
        scope.page = 3
        scope.pages = 28
        #expect(try footer.render(in: scope) == "Page 3 of 28")
    }

    @Test func markupLikeDataPassesThroughUntouched() throws {
        #expect(try render("{{ name }} <i>literal</i> &amp;") == "<b>Smith & Sons</b> <i>literal</i> &amp;")
    }

    @Test func bracesInsideStringLiteralsDoNotCloseTheExpression() throws {
        #expect(try render("{{ '}}' }} and {{ \"{{\" }}") == "}} and {{")
    }

    @Test func errorsPointInsideTheString() {
        do {
            _ = try Interpolation(parsing: "Total: {{ totals.gross_minor | mony }}", location: F.location)
            Issue.record("parsed")
        } catch {
            #expect(error.code == .unknownFilter)
            // "Total: {{ " is 10 characters, "totals.gross_minor | " 21 more.
            #expect(error.location == SourceLocation(file: "invoice.yaml", line: 12, column: 41))
        }
        do {
            _ = try Interpolation(parsing: "Total: {{ totals.gross_minor ", location: F.location)
            Issue.record("parsed")
        } catch {
            #expect(error.code == .expressionSyntax)
            #expect(error.message.contains("not closed"))
            #expect(error.location?.column == 17)
        }
    }

    @Test func evaluationErrorsPointInsideTheString() {
        do {
            _ = try render("Avg: {{ totals.gross_minor / zero }}")
            Issue.record("rendered")
        } catch {
            #expect(error.code == .evaluation)
            #expect(error.location?.column == 10 + 8 + 19)
        }
    }

    @Test func multiLineTextCountsLines() {
        do {
            _ = try Interpolation(parsing: "first line\n  and {{ 1 + }}", location: F.location)
            Issue.record("parsed")
        } catch {
            #expect(error.location?.line == 13)
            #expect(error.location?.column == 13)
        }
    }

    @Test func yamlScalarsGiveExactColumns() throws {
        let yaml = """
        plain: Total {{ totals.gross | mony }}
        quoted: "Total {{ totals.gross | mony }}"
        block: |
          Total
          {{ totals.gross | mony }}
        """
        guard case .mapping(let mapping)? = try Yams.compose(yaml: yaml) else { Issue.record("no mapping"); return }
        var columns: [String] = []
        for key in ["plain", "quoted", "block"] {
            do {
                _ = try Interpolation(scalar: mapping[key]!, file: "t.yaml")
            } catch {
                columns.append(error.location?.description ?? "")
            }
        }
        // "plain: " is 7 columns, "Total {{ totals.gross | " 24 more: the filter name is at column 32.
        #expect(columns == ["t.yaml:1:32", "t.yaml:2:34", "t.yaml:5:0"])
    }
}
