import Testing
@testable import FolioRender

/// Evaluates `source` with the fixture data in the given locale.
func filtered(_ source: String, locale: String = "en-GB", timeZone: String = "Europe/London", currency: String? = "GBP",
              minorUnit: Int? = 2, localizeOptical: Bool = false, data: Value = ExpressionFixture.data) throws(RenderError) -> String {
    let format = FormatContext(locale: locale, timeZone: timeZone, currency: currency, currencyMinorUnit: minorUnit,
                               localizeOpticalDecimals: localizeOptical)
    return try Expression(parsing: source, location: ExpressionFixture.location)
        .evaluate(in: Scope(data: data, format: format)).plainText
}

func filterFailure(_ source: String) -> RenderError? {
    do {
        _ = try filtered(source)
        return nil
    } catch {
        return error
    }
}

@Suite struct FilterTests {
    @Test(arguments: [
        ("'Smith & Sons' | upper", "SMITH & SONS"),
        ("'ÉCOLE' | lower", "école"),
        ("'mrs eleanor o\\'neil-pritchard' | title", "Mrs Eleanor O'neil-Pritchard"),
        ("'harbour pilot' | capitalize", "Harbour pilot"),
        ("'  padded \\n' | trim", "padded"),
        ("'Premium anti-reflective coating' | truncate(12)", "Premium ant…"),
        ("'short' | truncate(12)", "short"),
        ("'Premium anti-reflective' | truncate(10, '...')", "Premium..."),
        ("'a-b-c' | replace('-', ' / ')", "a / b / c"),
        ("4821 | pad_left(8, '*')", "****4821"),
        ("'7' | pad_left(3, '0')", "007"),
        ("'ab' | pad_right(4, '.')", "ab.."),
        ("invoice.due_date | default('on receipt')", "on receipt"),
        ("invoice.missing | default('—')", "—"),
        ("'' | default('n/a')", "n/a"),
        ("zero | default(5)", "0"),
        ("invoice.number | default('x')", "INV-1"),
        ("flags | json", "[\"FREEFORM\",\"PRISM THINNING\"]"),
        ("name | upper", "<B>SMITH & SONS</B>"),
        ("42 | string", "42"),
    ])
    func text(source: String, expected: String) throws {
        #expect(try filtered(source) == expected)
    }

    @Test(arguments: [
        ("lines | count", "3"),
        ("lines | length", "3"),
        ("'héllo' | length", "5"),
        ("invoice.nothing | count", "0"),
        ("lines | first | json", "{\"description\":\"Frame\",\"quantity\":1,\"unit_minor\":12900,\"vat_rate_percent\":20,\"kind\":\"goods\"}"),
        ("(lines | last).description", "Sight test"),
        ("flags | join(' · ')", "FREEFORM · PRISM THINNING"),
        ("flags | join", "FREEFORM, PRISM THINNING"),
        ("lines | map('description') | join(', ')", "Frame, Lenses, Sight test"),
        ("lines | sum('unit_minor')", "24900"),
        ("lines | map('quantity') | sum", "4"),
        ("lines | where('kind', 'goods') | count", "2"),
        ("lines | where('vat_rate_percent', 20) | map('description') | join", "Frame, Lenses"),
        ("lines | where('unit_minor') | count", "2"),
        ("lines | map('unit_minor') | min", "0"),
        ("lines | max('unit_minor')", "12900"),
        ("lines | min('description')", "Frame"),
        ("flags | reverse | first", "PRISM THINNING"),
        ("invoice | keys | join", "number, type, due_date, key with space"),
        ("lines | sort('unit_minor') | map('description') | join", "Sight test, Lenses, Frame"),
        ("lines | map('kind') | unique | join", "goods, service"),
        ("flags | sort | reverse | join", "PRISM THINNING, FREEFORM"),
    ])
    func collections(source: String, expected: String) throws {
        #expect(try filtered(source) == expected)
    }

    @Test func sumStaysIntegerUntilADecimalAppears() throws {
        let data = try Value.parse(json: #"{"a": [1, 2, null, 3], "b": [1, 0.5], "c": [1, "x"]}"#)
        #expect(try filtered("a | sum", data: data) == "6")
        #expect(try filtered("b | sum", data: data) == "1.5")
        do {
            _ = try filtered("c | sum", data: data)
            Issue.record("summed text")
        } catch {
            #expect(error.message.contains("sum: item [1] is string \"x\", not a number"))
        }
    }

    @Test(arguments: [
        ("1234567.891 | number(2)", "en-GB", "1,234,567.89"),
        ("1234567.891 | number(2)", "de-DE", "1.234.567,89"),
        ("1234567.891 | number(2)", "fr-FR", "1\u{202F}234\u{202F}567,89"),
        ("1234567 | number", "en-US", "1,234,567"),
        ("2.5 | number", "de-DE", "2,5"),
        ("2.345 | number(2)", "en-GB", "2.35"),
        ("-2.345 | number(2)", "en-GB", "-2.35"),
        ("3 | number(1)", "en-GB", "3.0"),
        ("20 | percent", "en-GB", "20%"),
        ("17.5 | percent", "en-GB", "17.5%"),
        ("19 | percent", "de-DE", "19\u{00A0}%"),
        ("7 | percent(1)", "fr-FR", "7,0\u{00A0}%"),
        ("2.675 | round(2)", "en-GB", "2.68"),
        ("2.5 | round", "en-GB", "3"),
        ("-2.5 | round", "en-GB", "-3"),
        ("-4 | abs", "en-GB", "4"),
        ("-0.75 | abs", "en-GB", "0.75"),
        ("'12' | integer", "en-GB", "12"),
        ("12.6 | integer", "en-GB", "13"),
    ])
    func numbers(source: String, locale: String, expected: String) throws {
        #expect(try filtered(source, locale: locale) == expected)
    }

    @Test func badInputNamesTheFilterAndItsLocation() {
        let failure = filterFailure("invoice | upper")
        #expect(failure?.code == .evaluation)
        #expect(failure?.message == "upper: expected text as input, found object {4 keys}")
        #expect(failure?.location == SourceLocation(file: "invoice.yaml", line: 12, column: 20))
        #expect(filterFailure("'x' | number")?.message.contains("number: expected a number") == true)
        #expect(filterFailure("'x' | pad_left(3, 'ab')")?.message.contains("one character") == true)
    }

    @Test func registryCanBeExtended() throws {
        var registry = FilterRegistry.standard
        registry.register(Filter("shout", summary: "adds !") { input, _, _ throws(RenderError) in
            .string(input.plainText + "!")
        })
        let expression = try Expression(parsing: "'hi' | shout | upper", location: ExpressionFixture.location,
                                        filters: registry)
        #expect(try expression.evaluate(in: ExpressionFixture.scope()) == .string("HI!"))
        #expect(registry.names.contains("money"))
        #expect(FilterRegistry.standard["shout"] == nil)
    }

    @Test func dynamicArgumentsAreEvaluatedPerCall() throws {
        #expect(try filtered("lines | map(i == 1 ? 'kind' : 'description') | join") == "goods, goods, service")
    }
}
