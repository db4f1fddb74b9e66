extension Value {
    /// The value as JSON text: keys in document order, so the same value always gives the same text.
    ///
    /// Non-ASCII characters are written as they are (UTF-8); control characters, quotes and backslashes are escaped.
    /// A non-finite number (only arithmetic can make one) is written as `null`.
    /// - Parameter pretty: two-space indentation and one member per line, as `folio templates show` prints.
    public func jsonText(pretty: Bool = false) -> String {
        var text = ""
        writeJSON(to: &text, pretty: pretty, indent: 0)
        return text
    }

    func writeJSON(to text: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: text += "null"
        case .bool(let b): text += b ? "true" : "false"
        case .integer(let i): text += String(i)
        case .number(let d): text += d.isFinite ? Value.jsonNumber(d) : "null"
        case .string(let s): Value.writeJSONString(s, to: &text)
        case .array(let array):
            if array.isEmpty { text += "[]"; return }
            text += "["
            for (i, element) in array.enumerated() {
                if i > 0 { text += "," }
                if pretty { Value.newline(&text, indent + 1) }
                element.writeJSON(to: &text, pretty: pretty, indent: indent + 1)
            }
            if pretty { Value.newline(&text, indent) }
            text += "]"
        case .object(let object):
            if object.isEmpty { text += "{}"; return }
            text += "{"
            for (i, pair) in object.pairs.enumerated() {
                if i > 0 { text += "," }
                if pretty { Value.newline(&text, indent + 1) }
                Value.writeJSONString(pair.key, to: &text)
                text += pretty ? ": " : ":"
                pair.value.writeJSON(to: &text, pretty: pretty, indent: indent + 1)
            }
            if pretty { Value.newline(&text, indent) }
            text += "}"
        }
    }

    private static func newline(_ text: inout String, _ indent: Int) {
        text += "\n"
        text += String(repeating: "  ", count: indent)
    }

    /// Shortest text that reads back as the same double, in a form JSON accepts.
    static func jsonNumber(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        return d.description
    }

    static func writeJSONString(_ s: String, to text: inout String) {
        text += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
