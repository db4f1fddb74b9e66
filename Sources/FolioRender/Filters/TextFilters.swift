import Foundation

/// Filters on text: case, trimming, truncation, replacement, padding, defaults and JSON.
enum TextFilters {
    static let all: [Filter] = [
        Filter("upper", summary: "UPPER CASE") { input, _, context throws(RenderError) in
            try text(input, context).map { .string($0.uppercased()) } ?? .null
        },
        Filter("lower", summary: "lower case") { input, _, context throws(RenderError) in
            try text(input, context).map { .string($0.lowercased()) } ?? .null
        },
        Filter("title", summary: "Each Word Capitalised") { input, _, context throws(RenderError) in
            try text(input, context).map { .string(titleCased($0)) } ?? .null
        },
        Filter("capitalize", summary: "First letter capital") { input, _, context throws(RenderError) in
            try text(input, context).map { s in
                guard let first = s.first else { return .string(s) }
                return .string(first.uppercased() + s.dropFirst())
            } ?? .null
        },
        Filter("trim", summary: "strip leading and trailing white space") { input, _, context throws(RenderError) in
            try text(input, context).map { .string($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? .null
        },
        Filter("truncate", arity: 1...2, summary: "truncate(n, '…'): at most n characters") {
            input, arguments, context throws(RenderError) in
            guard let s = try text(input, context) else { return .null }
            let limit = try context.integer(arguments, 0, default: 0)
            let ellipsis = try context.string(arguments, 1) ?? "…"
            guard limit >= 0 else { throw context.error("the length must not be negative") }
            guard s.count > limit else { return .string(s) }
            let keep = max(0, limit - ellipsis.count)
            return .string(String(s.prefix(keep)).trimmingTrailingWhitespace() + ellipsis)
        },
        Filter("replace", arity: 2...2, summary: "replace('a', 'b'): every a becomes b") {
            input, arguments, context throws(RenderError) in
            guard let s = try text(input, context) else { return .null }
            guard let target = try context.string(arguments, 0), !target.isEmpty else {
                throw context.error("the text to replace must be a non-empty string")
            }
            let replacement = arguments[1].map(\.plainText) ?? ""
            return .string(s.replacingOccurrences(of: target, with: replacement))
        },
        Filter("pad_left", arity: 1...2, summary: "pad_left(6, '0'): pad on the left to n characters") {
            input, arguments, context throws(RenderError) in
            try pad(input, arguments, context, left: true)
        },
        Filter("pad_right", arity: 1...2, summary: "pad_right(6): pad on the right to n characters") {
            input, arguments, context throws(RenderError) in
            try pad(input, arguments, context, left: false)
        },
        Filter("default", arity: 1...1, summary: "default('—'): the argument when the value is null or empty text") {
            input, arguments, _ throws(RenderError) in
            switch input {
            case .null: return arguments[0] ?? .null
            case .string(let s) where s.isEmpty: return arguments[0] ?? .null
            default: return input
            }
        },
        Filter("json", arity: 0...1, summary: "json or json(true): the value as JSON text") {
            input, arguments, _ throws(RenderError) in
            .string(input.jsonText(pretty: arguments[0]?.isTruthy ?? false))
        },
        Filter("ltr", summary: "keeps text left-to-right inside right-to-left text (-2.25 stays -2.25, not 2.25-)") {
            input, _, context throws(RenderError) in
            // U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP DIRECTIONAL ISOLATE (DOMAIN.md §4.3).
            guard let s = try text(input, context), !s.isEmpty else { return .string("") }
            return .string("\u{2066}" + s + "\u{2069}")
        },
        Filter("string", summary: "the value as plain text") { input, _, _ throws(RenderError) in
            .string(input.plainText)
        },
    ]

    /// The input as text: strings as they are, numbers and booleans in plain form, null as nil.
    static func text(_ input: Value, _ context: FilterContext) throws(RenderError) -> String? {
        switch input {
        case .null: return nil
        case .string(let s): return s
        case .integer, .number, .bool: return input.plainText
        case .array, .object: throw context.wrongInput(input, expected: "text")
        }
    }

    static func titleCased(_ s: String) -> String {
        var result = ""
        var atWordStart = true
        for character in s {
            if character.isLetter || character.isNumber {
                result += atWordStart ? character.uppercased() : character.lowercased()
                atWordStart = false
            } else {
                result.append(character)
                atWordStart = character != "'" && character != "’"
            }
        }
        return result
    }

    static func pad(_ input: Value, _ arguments: FilterArguments, _ context: FilterContext,
                    left: Bool) throws(RenderError) -> Value {
        let s = try text(input, context) ?? ""
        let width = try context.integer(arguments, 0, default: 0)
        let fill = try context.string(arguments, 1) ?? " "
        guard fill.count == 1 else { throw context.error("the padding must be one character, found '\(fill)'") }
        guard width <= 1000 else { throw context.error("the width \(width) is larger than 1000") }
        let missing = width - s.count
        guard missing > 0 else { return .string(s) }
        let padding = String(repeating: fill, count: missing)
        return .string(left ? padding + s : s + padding)
    }
}
