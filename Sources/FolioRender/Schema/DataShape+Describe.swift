import Foundation

extension DataShape {
    /// A readable listing of the shape for `folio templates show`, in the same short syntax templates use, with the
    /// long-form options as comments:
    ///
    /// ```
    /// invoice:
    ///   number: string
    ///   due_date: date?
    /// lines:
    ///   - description: string
    /// status: string  # one of: draft, issued, paid
    /// ```
    public func describe() -> String {
        var lines: [String] = []
        if case .object(let fields?) = kind {
            for field in fields { DataShape.describe(field.name, field.shape, indent: "", into: &lines) }
        } else {
            lines.append(summary)
        }
        return lines.joined(separator: "\n")
    }

    /// `date?`, `string`, `[string]`…
    var summary: String {
        var text: String
        switch kind {
        case .array(let items?):
            switch items.kind {
            case .object(.some), .array(.some): text = "array"
            default: text = "[\(items.summary)]"
            }
        default:
            text = typeName
        }
        // `[string]?` is not YAML; an optional array is marked on its key instead (see `describe`).
        if optional, !text.hasPrefix("[") { text += "?" }
        return text
    }

    var notes: [String] {
        var notes: [String] = []
        if let allowed { notes.append("one of: " + allowed.map(\.plainText).joined(separator: ", ")) }
        if let minimum { notes.append("min \(Value.plainNumber(minimum))") }
        if let maximum { notes.append("max \(Value.plainNumber(maximum))") }
        if let minLength { notes.append("at least \(minLength) characters") }
        if let maxLength { notes.append("at most \(maxLength) characters") }
        if let minItems { notes.append("at least \(minItems) items") }
        if let maxItems { notes.append("at most \(maxItems) items") }
        switch kind {
        case .date: notes.append("YYYY-MM-DD")
        case .dateTime: notes.append("ISO 8601 with offset")
        case .time: notes.append("HH:MM")
        default: break
        }
        if let note { notes.append(note) }
        return notes
    }

    static func describe(_ name: String, _ shape: DataShape, indent: String, into lines: inout [String]) {
        let key = JSONPath.isPlainKey(name) ? name : "'\(name.replacingOccurrences(of: "'", with: "''"))'"
        let comment = shape.notes.isEmpty ? "" : "  # " + shape.notes.joined(separator: "; ")
        switch shape.kind {
        case .object(let fields?):
            lines.append("\(indent)\(key)\(shape.optional ? "?" : ""):\(comment)")
            for field in fields { describe(field.name, field.shape, indent: indent + "  ", into: &lines) }
        case .array(let items?) where shape.summary.hasPrefix("array"):
            lines.append("\(indent)\(key)\(shape.optional ? "?" : ""):\(comment)")
            describeItem(items, indent: indent + "  ", into: &lines)
        default:
            let marker = shape.optional && shape.summary.hasPrefix("[") ? "?" : ""
            lines.append("\(indent)\(key)\(marker): \(shape.summary)\(comment)")
        }
    }

    /// An array item: `- field: type` for objects, `- [type]` for nested arrays.
    static func describeItem(_ items: DataShape, indent: String, into lines: inout [String]) {
        switch items.kind {
        case .object(let fields?):
            var itemLines: [String] = []
            for field in fields { describe(field.name, field.shape, indent: "", into: &itemLines) }
            for (i, line) in itemLines.enumerated() { lines.append(indent + (i == 0 ? "- " : "  ") + line) }
            if itemLines.isEmpty { lines.append(indent + "- object") }
        case .array(let inner?) where items.summary.hasPrefix("array"):
            lines.append(indent + "-")
            describeItem(inner, indent: indent + "  ", into: &lines)
        default:
            lines.append(indent + "- " + items.summary)
        }
    }
}
