import FolioRender
import FolioWorkers
import Testing

/// The JSON writer the accept path uses to carry data in a job: whatever it writes parses back to the same value.
@Suite("Value JSON text") struct JSONTextTests {
    @Test("round trips escapes, control characters, unicode, numbers and key order", arguments: [
        #"{"a": "quote \" backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007", "é": "日本 🎉"}"#,
        #"[1, -2, 3.5, 1e300, -0.0, 9223372036854775807, true, false, null, [], {}]"#,
        #"{"z": 1, "a": {"y": [1, {"x": "v"}]}, "m": ""}"#,
    ])
    func roundTrip(_ text: String) throws {
        let value = try Value.parse(json: text)
        let written = value.jsonText
        #expect(try Value.parse(json: written) == value)
        if case .object(let o) = value, case .object(let back) = try Value.parse(json: written) { #expect(o.keys == back.keys) }
    }
}
