extension Value {
    /// The value as interpolated text shows it when no filter formats it.
    ///
    /// Null is empty; integers are their digits; numbers drop trailing zeros (`2.0` → `2`, `0.5` → `0.5`); booleans are
    /// `true`/`false`; arrays join their elements' plain text with `", "`; objects are compact JSON. Text is never
    /// escaped here: markup-like characters pass through, and the painter escapes them.
    public var plainText: String {
        switch self {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .integer(let i): String(i)
        case .number(let d): Value.plainNumber(d)
        case .string(let s): s
        case .array(let array): array.map(\.plainText).joined(separator: ", ")
        case .object: jsonText()
        }
    }

    /// Writes the plain text into `text` without an intermediate string for the common scalar cases.
    func appendPlainText(to text: inout String) {
        switch self {
        case .null: break
        case .string(let s): text += s
        case .integer(let i): text += String(i)
        default: text += plainText
        }
    }

    static func plainNumber(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-∞" : "∞" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        let text = d.description
        // Swift prints very small or large numbers in exponent form; keep that, it is exact and rare.
        return text
    }
}
