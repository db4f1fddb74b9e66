import Foundation
import Testing
@testable import FolioRender

@Suite struct JSONTests {
    func parse(_ text: String, limits: DataLimits = .init()) throws(RenderError) -> Value {
        try Value.parse(json: Array(text.utf8), limits: limits)
    }

    func error(_ text: String, limits: DataLimits = .init()) -> RenderError? {
        do { _ = try parse(text, limits: limits); return nil } catch { return error }
    }

    @Test func scalars() throws {
        #expect(try parse("null") == .null)
        #expect(try parse(" true ") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("0") == .integer(0))
        #expect(try parse("-12") == .integer(-12))
        #expect(try parse("2.5") == .number(2.5))
        #expect(try parse("1e3") == .number(1000))
        #expect(try parse("-0.75E-1") == .number(-0.075))
        #expect(try parse("\"a\"") == .string("a"))
    }

    @Test func integersThatFitStayExactAndBiggerOnesBecomeNumbers() throws {
        #expect(try parse("9223372036854775807") == .integer(.max))
        #expect(try parse("-9223372036854775808") == .integer(.min))
        #expect(try parse("9223372036854775808") == .number(9223372036854775808.0))
        #expect(try parse("100000000000000000000000") == .number(1e23))
        #expect(try parse("1.0") == .number(1))
    }

    @Test func byteOrderMarkIsIgnored() throws {
        #expect(try Value.parse(json: [0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.integer(1)]))
    }

    @Test func keysKeepDocumentOrder() throws {
        let value = try parse(#"{"z": 1, "a": {"y": [], "b": {}}, "m": null}"#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["z", "a", "m"])
        #expect(value.jsonText() == #"{"z":1,"a":{"y":[],"b":{}},"m":null}"#)
    }

    @Test func escapesAndSurrogatePairs() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try parse(#""\u00e9\u20AC""#) == .string("é€"))
        #expect(try parse(#""\uD83D\uDE00 ok""#) == .string("😀 ok"))
        #expect(try parse("\"Gläser – 52□18\"") == .string("Gläser – 52□18"))
    }

    @Test func loneSurrogatesAreRejected() {
        #expect(error(#""\uD83D""#)?.code == .dataMalformed)
        #expect(error(#""\uDE00""#)?.code == .dataMalformed)
        #expect(error(#""\uD83D\u0041""#)?.code == .dataMalformed)
    }

    @Test func invalidUTF8IsRejectedWithItsPosition() {
        let bytes: [UInt8] = Array("{\"name\": \"ab".utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        do {
            _ = try Value.parse(json: bytes)
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.code == .dataMalformed)
            #expect(error.message.contains("invalid UTF-8"))
            #expect(error.path == "$.name")
        }
    }

    @Test(arguments: [
        ("01", "leading zeros"), ("-", "digit"), ("1.", "digit"), ("1e", "exponent"), ("NaN", "expected a value"),
        ("[1,]", "expected a value"), ("{\"a\":1,}", "quoted key"), ("[1 2]", "expected ','"), ("tru", "expected a value"),
        ("\"abc", "unterminated"), ("{\"a\" 1}", "':'"), ("", "empty"), ("{} x", "after the end"), ("\"a\tb\"", "control"),
        ("{'a': 1}", "quoted key"), ("\"\\x\"", "invalid escape"), ("Infinity", "expected a value"), ("+1", "expected a value"),
    ])
    func malformedInputIsRejected(input: String, fragment: String) {
        let failure = error(input)
        #expect(failure?.code == .dataMalformed)
        #expect(failure?.message.contains(fragment) == true, "\(input): \(failure?.message ?? "accepted")")
    }

    @Test func errorsNameLineColumnAndPath() {
        let text = """
        {
          "lines": [
            {"description": "Frame"},
            {"description": "Lens", "quantity": 01}
          ]
        }
        """
        let failure = error(text)
        #expect(failure?.message.hasPrefix("line 4, column 42:") == true, "\(failure?.message ?? "")")
        #expect(failure?.path == "$.lines[1].quantity")
        #expect(failure?.description.contains("$.lines[1].quantity") == true)
    }

    @Test func duplicateKeysAreRejected() {
        let failure = error(#"{"invoice": {"number": "1", "number": "2"}}"#)
        #expect(failure?.message.contains("appears twice") == true)
        #expect(failure?.path == "$.invoice.number")
    }

    @Test func deepNestingStopsAtTheLimit() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let failure = error(deep)
        #expect(failure?.message.contains("nested more than 64 levels") == true)
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(error(ok) == nil)
    }

    @Test func tenMegabyteStringIsRefusedByTheSizeLimit() {
        let huge = "{\"notes\": \"" + String(repeating: "x", count: 10 << 20) + "\"}"
        let failure = error(huge)
        #expect(failure?.code == .dataMalformed)
        #expect(failure?.message.contains("more than the limit of 8388608 bytes") == true)
    }

    @Test func longStringOverTheStringLimitNamesItsPath() {
        let text = "{\"a\": [\"" + String(repeating: "y", count: 2 << 20) + "\"]}"
        let failure = error(text, limits: DataLimits(maxBytes: 16 << 20))
        #expect(failure?.message.contains("longer than the limit of 1048576 bytes") == true)
        #expect(failure?.path == "$.a[0]")
    }

    @Test func collectionCountLimit() {
        let text = "[" + Array(repeating: "1", count: 11).joined(separator: ",") + "]"
        #expect(error(text, limits: DataLimits(maxCollectionCount: 10))?.message.contains("more than 10 elements") == true)
        #expect(error(text, limits: DataLimits(maxCollectionCount: 11)) == nil)
    }

    @Test func markupLikeStringsAreKeptVerbatim() throws {
        let value = try parse(#"{"name": "<b>Smith & Sons</b> \u003cscript\u003e"}"#)
        #expect(value["name"] == .string("<b>Smith & Sons</b> <script>"))
    }

    @Test func jsonTextRoundTripsTheSamples() throws {
        let folder = "/work/shared/samples"
        for name in ["invoice", "receipt", "lab-ticket", "order-sheet", "exam-form"] {
            guard let data = FileManager.default.contents(atPath: "\(folder)/\(name).json") else { continue }
            let value = try Value.parse(json: [UInt8](data))
            #expect(try Value.parse(json: value.jsonText()) == value, "\(name)")
            #expect(try Value.parse(json: value.jsonText(pretty: true)) == value, "\(name)")
        }
    }

    @Test func prettyTextIsStable() throws {
        let value = try parse(#"{"b":[1,2.5,"x\n"],"a":{}}"#)
        #expect(value.jsonText(pretty: true) == """
        {
          "b": [
            1,
            2.5,
            "x\\n"
          ],
          "a": {}
        }
        """)
    }

    @Test func literalsAndAccessors() throws {
        let value: Value = ["number": "INV-1", "lines": [1, 2.5, .null, true], "total": 47400]
        #expect(value.jsonText() == #"{"number":"INV-1","lines":[1,2.5,null,true],"total":47400}"#)
        #expect(value["number"]?.stringValue == "INV-1")
        #expect(value["total"]?.integerValue == 47400)
        #expect(value["lines"]?[1] == .number(2.5))
        #expect(value["lines"]?.arrayValue?.count == 4)
        #expect(value.objectValue?.keys == ["number", "lines", "total"])
        #expect(Value.number(2).plainText == "2")
        #expect(Value.number(0.1).plainText == "0.1")
        #expect(Value.null.plainText == "")
    }
}
