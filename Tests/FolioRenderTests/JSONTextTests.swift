@testable import FolioRender
import Testing

/// The one JSON writer (responses, job payloads, `folio templates show`): whatever it writes parses back to the same value.
@Suite("Value JSON text") struct JSONTextTests {
    @Test("round trips escapes, control characters, unicode, numbers and key order", arguments: [
        #"{"a": "quote \" backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007", "é": "日本 🎉"}"#,
        #"[1, -2, 3.5, 1e300, -0.0, 9223372036854775807, true, false, null, [], {}]"#,
        #"{"z": 1, "a": {"y": [1, {"x": "v"}]}, "m": ""}"#,
    ])
    func roundTrip(_ text: String) throws {
        let value = try Value.parse(json: text)
        let written = value.jsonText()
        #expect(try Value.parse(json: written) == value)
        if case .object(let o) = value, case .object(let back) = try Value.parse(json: written) { #expect(o.keys == back.keys) }
        #expect(try Value.parse(json: value.jsonText(pretty: true)) == value)
    }

    @Test("objects compare and hash as JSON objects: members, not their order; large objects keep look-up and order")
    func objectSemantics() throws {
        let a = try Value.parse(json: #"{"x": 1, "y": [2, 3]}"#)
        let b = try Value.parse(json: #"{"y": [2, 3], "x": 1}"#)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != (try Value.parse(json: #"{"x": 1, "y": [3, 2]}"#)))
        let members = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        guard case .object(var big) = try Value.parse(json: "{\(members)}") else { Issue.record("not an object"); return }
        #expect(big["k37"] == .integer(37))
        big["k3"] = nil
        #expect(big["k3"] == nil && big["k39"] == .integer(39) && big.count == 39)
        #expect(big.keys.first == "k0" && big.keys.last == "k39")
        #expect(throws: RenderError.self) { try Value.parse(json: "{\(members), \"k5\": 0}") }
    }
}
