import Testing
@testable import FolioRender

/// Shared helpers for the expression, interpolation and filter suites.
enum ExpressionFixture {
    static let location = SourceLocation(file: "invoice.yaml", line: 12, column: 10)

    static let data: Value = try! Value.parse(json: """
    {
      "invoice": {"number": "INV-1", "type": "vat_invoice", "due_date": null, "key with space": "spaced"},
      "lines": [
        {"description": "Frame", "quantity": 1, "unit_minor": 12900, "vat_rate_percent": 20, "kind": "goods"},
        {"description": "Lenses", "quantity": 2, "unit_minor": 12000, "vat_rate_percent": 20, "kind": "goods"},
        {"description": "Sight test", "quantity": 1, "unit_minor": 0, "vat_rate_percent": 0, "kind": "service"}
      ],
      "totals": {"gross_minor": 47400, "vat_minor": 7150},
      "zero": 0,
      "half": 0.5,
      "name": "<b>Smith & Sons</b>",
      "flags": ["FREEFORM", "PRISM THINNING"],
      "i": 1
    }
    """)

    static func scope(_ format: FormatContext = FormatContext(locale: "en-GB", timeZone: "Europe/London",
                                                               currency: "GBP", currencyMinorUnit: 2)) -> Scope {
        Scope(data: data, format: format)
    }

    static func eval(_ source: String, in scope: Scope = scope()) throws(RenderError) -> Value {
        try Expression(parsing: source, location: location).evaluate(in: scope)
    }

    static func failure(_ source: String, in scope: Scope = scope()) -> RenderError? {
        do {
            _ = try eval(source, in: scope)
            return nil
        } catch {
            return error
        }
    }
}

@Suite struct ExpressionTests {
    typealias F = ExpressionFixture

    @Test(arguments: [
        ("1 + 2 * 3", Value.integer(7)),
        ("(1 + 2) * 3", .integer(9)),
        ("10 - 4 - 3", .integer(3)),
        ("2 * 3 % 4", .integer(2)),
        ("-2 * 3", .integer(-6)),
        ("- (2 + 3)", .integer(-5)),
        ("1 + 2 == 3", .bool(true)),
        ("1 < 2 and 3 > 4 or true", .bool(true)),
        ("not 1 == 2", .bool(true)),
        ("!true || false", .bool(false)),
        ("true ? 1 : 0", .integer(1)),
        ("false ? 1 : true ? 2 : 3", .integer(2)),
        ("null ?? 'x'", .string("x")),
        ("invoice.due_date ?? 'on receipt'", .string("on receipt")),
        ("zero ?? 5", .integer(0)),
        ("1 + 1 > 1 ? 'yes' : 'no'", .string("yes")),
        ("'a' + \"b\"", .string("ab")),
        ("'it\\'s'", .string("it's")),
        ("1_000", .integer(1000)),
    ])
    func precedence(source: String, expected: Value) throws {
        #expect(try F.eval(source) == expected)
    }

    @Test func pathsIndexesAndQuotedKeys() throws {
        #expect(try F.eval("invoice.number") == .string("INV-1"))
        #expect(try F.eval("lines[1].description") == .string("Lenses"))
        #expect(try F.eval("lines[-1].description") == .string("Sight test"))
        #expect(try F.eval("lines[i].quantity") == .integer(2))
        #expect(try F.eval("lines[i + 1]['description']") == .string("Sight test"))
        #expect(try F.eval("invoice['key with space']") == .string("spaced"))
        #expect(try F.eval("invoice.type") == .string("vat_invoice"))
        #expect(try F.eval("(lines[0]).kind") == .string("goods"))
        #expect(try F.eval("lines.0.kind") == .string("goods"))
    }

    @Test func missingPathsAreNullAndCanBeAskedAbout() throws {
        #expect(try F.eval("invoice.nothing.deeper") == .null)
        #expect(try F.eval("lines[99].description") == .null)
        #expect(try F.eval("nowhere") == .null)
        let scope = F.scope()
        let missing = try Expression(parsing: "invoice.nothing", location: F.location)
        let present = try Expression(parsing: "invoice.due_date", location: F.location)
        #expect(try missing.evaluateIfPresent(in: scope) == nil)
        #expect(try present.evaluateIfPresent(in: scope) == .null)
        #expect(missing.isPath)
    }

    @Test func integerArithmeticStaysExact() throws {
        #expect(try F.eval("lines[0].unit_minor * lines[1].quantity") == .integer(25800))
        #expect(try F.eval("totals.gross_minor - totals.vat_minor") == .integer(40250))
        #expect(try F.eval("47400 / 2") == .integer(23700))
        #expect(try F.eval("7 / 2") == .number(3.5))
        #expect(try F.eval("7 % 3") == .integer(1))
        #expect(try F.eval("0.1 + 0.2 > 0.3") == .bool(true))
        #expect(try F.eval("half * 2") == .number(1))
        #expect(try F.eval("1 == 1.0") == .bool(true))
        #expect(try F.eval("9007199254740993 + 0") == .integer(9007199254740993))
    }

    @Test func integerOverflowIsAnError() {
        let failure = F.failure("9223372036854775807 + 1")
        #expect(failure?.code == .evaluation)
        #expect(failure?.message.contains("too large") == true)
    }

    @Test func divisionByZeroNamesTheOperatorColumn() {
        let failure = F.failure("totals.gross_minor / zero")
        #expect(failure?.code == .evaluation)
        #expect(failure?.message.contains("division by zero") == true)
        #expect(failure?.location == SourceLocation(file: "invoice.yaml", line: 12, column: 29))
        #expect(F.failure("1 % 0")?.message.contains("division by zero") == true)
        #expect(F.failure("1.5 / 0")?.message.contains("division by zero") == true)
    }

    @Test func typeErrorsSayWhichTypesMet() {
        let failure = F.failure("invoice.number * 2")
        #expect(failure?.message.contains("cannot multiply string \"INV-1\" and integer 2") == true)
        #expect(F.failure("'a' < 1")?.message.contains("cannot compare string") == true)
        #expect(F.failure("-invoice.number")?.message.contains("cannot negate string") == true)
        #expect(F.failure("lines[half]")?.location?.column == 16)
        let missing = F.failure("invoice.discount + 1")
        #expect(missing?.message.contains("use ?? to give a default") == true)
        let piped = F.failure("lines[0].quantity * lines[0].unit_minor | money")
        #expect(piped?.message.contains("filters bind tighter") == true)
    }

    @Test func logicShortCircuits() throws {
        #expect(try F.eval("false and 1 / 0") == .bool(false))
        #expect(try F.eval("true or 1 / 0") == .bool(true))
        #expect(try F.eval("true ? 1 : 1 / 0") == .integer(1))
        #expect(try F.eval("1 ?? 1 / 0") == .integer(1))
    }

    @Test(arguments: [
        ("1 +", "ends where a value was expected", 13),
        ("(1 + 2", "expected ')'", 16),
        ("a == b == c", "cannot be chained", 17),
        ("a = 1", "use '=='", 12),
        ("'open", "unterminated string", 10),
        ("lines[", "ends where a value", 16),
        ("1 2", "after a complete expression", 12),
        ("", "empty", 10),
        ("a ? b", "expected ':'", 15),
        ("a | ", "expected a filter name", 14),
        ("a # b", "unexpected character '#'", 12),
    ])
    func syntaxErrorsPointAtTheColumn(source: String, fragment: String, column: Int) {
        do {
            _ = try Expression(parsing: source, location: F.location)
            Issue.record("'\(source)' parsed")
        } catch {
            #expect(error.code == .expressionSyntax)
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.location?.column == column, "\(source): \(error)")
        }
    }

    @Test func unknownFilterSuggestsTheClosestName() {
        do {
            _ = try Expression(parsing: "totals.gross_minor | mony('GBP')", location: F.location)
            Issue.record("parsed")
        } catch {
            #expect(error.code == .unknownFilter)
            #expect(error.message.contains("unknown filter 'mony'; did you mean 'money'?"))
            #expect(error.location == SourceLocation(file: "invoice.yaml", line: 12, column: 31))
        }
        do {
            _ = try Expression(parsing: "x | frobnicate", location: F.location)
        } catch {
            #expect(error.code == .unknownFilter)
            #expect(!error.message.contains("did you mean"))
        }
    }

    @Test func filterArityIsCheckedAtParseTime() {
        do {
            _ = try Expression(parsing: "x | upper(1)", location: F.location)
            Issue.record("parsed")
        } catch {
            #expect(error.code == .expressionSyntax)
            #expect(error.message.contains("'upper' takes 0 arguments, given 1"))
        }
    }

    @Test func referencedRoots() throws {
        let e = try Expression(parsing: "line.qty * (rates[code] ?? 1) > 0 ? page : pages | default(x.y)", location: F.location)
        #expect(e.referencedRoots == ["line", "rates", "code", "page", "pages", "x"])
        #expect(e.usesPageNumbers)
        #expect(try !Expression(parsing: "loop.index", location: F.location).usesPageNumbers)
    }

    @Test func scopeBindingsShadowDataAndLoopStateIsVisible() throws {
        let lines = try F.eval("lines")
        guard case .array(let items) = lines else { Issue.record("no lines"); return }
        let base = F.scope()
        var seen: [String] = []
        for (index, item) in items.enumerated() {
            let scope = base.iteration("line", item: item, index: index, count: items.count)
            let number = try F.eval("loop.number", in: scope)
            let last = try F.eval("loop.last", in: scope)
            let description = try F.eval("line.description", in: scope)
            seen.append("\(number.plainText):\(description.plainText):\(last.plainText)")
            #expect(try F.eval("loop.index", in: scope) == .integer(Int64(index)))
            #expect(try F.eval("loop.length", in: scope) == .integer(3))
            #expect(try F.eval("loop", in: scope)["first"] == .bool(index == 0))
        }
        #expect(seen == ["1:Frame:false", "2:Lenses:false", "3:Sight test:true"])
        let shadowed = base.binding("invoice", to: .string("local"))
        #expect(try F.eval("invoice", in: shadowed) == .string("local"))
        #expect(try F.eval("invoice.number", in: base) == .string("INV-1"))
        #expect(try F.eval("loop", in: base) == .null)
    }

    @Test func pageNumbersAreNullUntilKnown() throws {
        var scope = F.scope()
        #expect(try F.eval("page", in: scope) == .null)
        scope.page = 2
        scope.pages = 5
        #expect(try F.eval("page + ' of ' + pages", in: scope) == .string("2 of 5"), "text joins with numbers")
        #expect(F.failure("page + true", in: scope)?.message.contains("cannot add") == true)
        #expect(try F.eval("page < pages", in: scope) == .bool(true))
    }

    @Test func evaluationIsConcurrentSafe() async throws {
        let expression = try Expression(parsing: "(lines | sum('unit_minor')) | money", location: F.location)
        let scope = F.scope()
        try await withThrowingTaskGroup(of: Value.self) { group in
            for _ in 0..<8 {
                group.addTask { try expression.evaluate(in: scope) }
            }
            for try await value in group { #expect(value == .string("£249.00")) }
        }
    }

    @Test func hugeOrDeepExpressionsAreRefusedNotCrashed() {
        let huge = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(F.failure(huge)?.message.contains("longer than 512 tokens") == true)
        let deep = String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)
        #expect(F.failure(deep)?.message.contains("nested more than 32 levels") == true)
        let long = Array(repeating: "1", count: 5_000).joined(separator: " + ")
        #expect(F.failure(long)?.message.contains("longer than 512 tokens") == true)
        let minus = String(repeating: "-", count: 100) + "1"
        #expect(F.failure(minus)?.message.contains("too many unary operators") == true)
        let nots = String(repeating: "not ", count: 100) + "true"
        #expect(F.failure(nots) != nil)
        let ok = String(repeating: "(", count: 20) + "1" + String(repeating: ")", count: 20)
        #expect(F.failure(ok) == nil)
    }
}
