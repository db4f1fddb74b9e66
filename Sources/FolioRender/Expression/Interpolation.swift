/// Template text with `{{ expression }}` parts, parsed once and rendered many times.
///
/// Text outside the braces is kept exactly. Values are written plainly (``Value/plainText``): null is empty, integers
/// are digits, numbers drop trailing zeros. Nothing is escaped: data is text, and the painter escapes it for markup.
/// To write literal braces, use a string expression: `{{ '{{' }}`.
public struct Interpolation: Sendable, CustomStringConvertible {
    /// A run of literal text or one `{{ expression }}`.
    public enum Part: Sendable {
        case text(String)
        case expression(Expression)
    }

    /// The source as written.
    public let source: String
    /// Text and expressions in order; adjacent text is one part, and empty text is left out.
    public let parts: [Part]

    /// Parses `source`.
    /// - Parameter location: where the first character of `source` is in the template (for a quoted YAML scalar, one
    ///   column after the quote). Errors point to the column of the bad expression; for text spanning several lines
    ///   the line is exact and the column counts from the start of that line of the text.
    /// - Throws: `.expressionSyntax` (including an unclosed `{{`) or `.unknownFilter`.
    public init(parsing source: String, location: SourceLocation,
                filters: FilterRegistry = .standard) throws(RenderError) {
        self.source = source
        var parts: [Part] = []
        let scalars = Array(source.unicodeScalars)
        var text = ""
        var i = 0
        func locationOf(_ offset: Int) -> SourceLocation {
            var line = location.line, column = location.column, lineStart = 0, newlines = 0
            for k in 0..<offset where scalars[k] == "\n" {
                newlines += 1
                lineStart = k + 1
            }
            if newlines == 0 { return location.advanced(columns: offset) }
            line += newlines
            column = offset - lineStart + 1
            return SourceLocation(file: location.file, line: location.line == 0 ? 0 : line,
                                  column: location.column == 0 ? 0 : column)
        }
        while i < scalars.count {
            if scalars[i] == "{", i + 1 < scalars.count, scalars[i + 1] == "{" {
                let open = i
                var j = i + 2
                var quote: Unicode.Scalar?
                var close: Int?
                while j < scalars.count {
                    let c = scalars[j]
                    if let q = quote {
                        if c == "\\" { j += 1 } else if c == q { quote = nil }
                    } else if c == "'" || c == "\"" {
                        quote = c
                    } else if c == "}", j + 1 < scalars.count, scalars[j + 1] == "}" {
                        close = j
                        break
                    }
                    j += 1
                }
                guard let close else {
                    throw RenderError(.expressionSyntax, "'{{' is not closed by '}}' in '\(source)'",
                                      location: locationOf(open))
                }
                var inner = ""
                inner.unicodeScalars.append(contentsOf: scalars[(open + 2)..<close])
                let leading = inner.unicodeScalars.prefix { $0.properties.isWhitespace }.count
                let trimmed = String(inner.unicodeScalars.dropFirst(leading)).trimmingTrailingWhitespace()
                let start = locationOf(open + 2 + leading)
                if !text.isEmpty {
                    parts.append(.text(text))
                    text = ""
                }
                parts.append(.expression(try Expression(parsing: trimmed, location: start, filters: filters)))
                i = close + 2
            } else {
                text.unicodeScalars.append(scalars[i])
                i += 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    /// Whether the text has no expressions, so it renders the same everywhere.
    public var isConstant: Bool {
        parts.allSatisfy { if case .text = $0 { true } else { false } }
    }

    /// Whether an expression reads `page` or `pages`: such text is final only after pagination.
    public var usesPageNumbers: Bool {
        parts.contains { if case .expression(let e) = $0 { e.usesPageNumbers } else { false } }
    }

    /// The expression when the text is exactly one `{{ … }}` and nothing else, so a caller can take its value
    /// (an array for `each`, a boolean for `if`) instead of its text.
    public var singleExpression: Expression? {
        if parts.count == 1, case .expression(let e) = parts[0] { return e }
        return nil
    }

    /// Top-level names read by any expression.
    public var referencedRoots: Set<String> {
        var roots = Set<String>()
        for case .expression(let e) in parts { roots.formUnion(e.referencedRoots) }
        return roots
    }

    /// The value of the text: for exactly one `{{ … }}`, the expression's value (an array for `each`, a boolean for
    /// `if`); otherwise the rendered text as a string.
    public func value(in scope: Scope) throws(RenderError) -> Value {
        if let expression = singleExpression { return try expression.evaluate(in: scope) }
        return .string(try render(in: scope))
    }

    /// The text with every expression's value written plainly.
    public func render(in scope: Scope) throws(RenderError) -> String {
        if parts.count == 1 {
            switch parts[0] {
            case .text(let text): return text
            case .expression(let e): return try e.evaluate(in: scope).plainText
            }
        }
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .expression(let e): try e.evaluate(in: scope).appendPlainText(to: &result)
            }
        }
        return result
    }

    public var description: String { source }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
