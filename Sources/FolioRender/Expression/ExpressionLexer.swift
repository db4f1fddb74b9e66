/// One token of an expression, with its offset in characters from the start of the source.
struct ExpressionToken: Sendable {
    enum Kind: Sendable, Equatable {
        case integer(Int64)
        case decimal(Double)
        case string(String)
        case identifier(String)
        /// Operators and punctuation: `+ - * / % == != < <= > >= && || ! ? ?? : | . , ( ) [ ]`.
        case symbol(String)
        case end
    }

    let kind: Kind
    let offset: Int
}

/// Splits an expression into tokens. Works on Unicode scalars so offsets match the columns YAML reports.
struct ExpressionLexer {
    let scalars: [Unicode.Scalar]
    var position = 0

    init(_ source: String) { scalars = Array(source.unicodeScalars) }

    /// All tokens, ending with `.end`; the error is a message and the offset where it applies.
    mutating func tokenize() -> Result<[ExpressionToken], ExpressionSyntaxFailure> {
        var tokens: [ExpressionToken] = []
        while true {
            skipSpace()
            let start = position
            guard position < scalars.count else {
                tokens.append(ExpressionToken(kind: .end, offset: position))
                return .success(tokens)
            }
            let c = scalars[position]
            if c.properties.isAlphabetic || c == "_" {
                while position < scalars.count,
                      scalars[position].properties.isAlphabetic || scalars[position] == "_"
                        || ("0"..."9").contains(scalars[position]) {
                    position += 1
                }
                tokens.append(ExpressionToken(kind: .identifier(text(start..<position)), offset: start))
            } else if ("0"..."9").contains(c) {
                switch number() {
                case .success(let kind): tokens.append(ExpressionToken(kind: kind, offset: start))
                case .failure(let failure): return .failure(failure)
                }
            } else if c == "'" || c == "\"" {
                switch string(quote: c) {
                case .success(let s): tokens.append(ExpressionToken(kind: .string(s), offset: start))
                case .failure(let failure): return .failure(failure)
                }
            } else {
                let two = position + 1 < scalars.count ? text(position..<position + 2) : ""
                if ["==", "!=", "<=", ">=", "&&", "||", "??"].contains(two) {
                    position += 2
                    tokens.append(ExpressionToken(kind: .symbol(two), offset: start))
                } else if "+-*/%<>!?:|.,()[]".unicodeScalars.contains(c) {
                    position += 1
                    tokens.append(ExpressionToken(kind: .symbol(String(c)), offset: start))
                } else if c == "=" {
                    return .failure(.init(message: "'=' is not an operator; use '==' to compare", offset: start))
                } else if c == "&" || c == "}" || c == "{" {
                    return .failure(.init(message: "unexpected '\(c)'", offset: start))
                } else {
                    return .failure(.init(message: "unexpected character '\(c)'", offset: start))
                }
            }
        }
    }

    mutating func skipSpace() {
        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
    }

    func text(_ range: Range<Int>) -> String {
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars[range])
        return s
    }

    mutating func number() -> Result<ExpressionToken.Kind, ExpressionSyntaxFailure> {
        let start = position
        while position < scalars.count, ("0"..."9").contains(scalars[position]) || scalars[position] == "_" { position += 1 }
        var isDecimal = false
        if position + 1 < scalars.count, scalars[position] == ".", ("0"..."9").contains(scalars[position + 1]) {
            isDecimal = true
            position += 1
            while position < scalars.count, ("0"..."9").contains(scalars[position]) { position += 1 }
        }
        if position < scalars.count, scalars[position] == "e" || scalars[position] == "E" {
            var p = position + 1
            if p < scalars.count, scalars[p] == "+" || scalars[p] == "-" { p += 1 }
            if p < scalars.count, ("0"..."9").contains(scalars[p]) {
                isDecimal = true
                position = p
                while position < scalars.count, ("0"..."9").contains(scalars[position]) { position += 1 }
            }
        }
        if position < scalars.count, scalars[position].properties.isAlphabetic {
            return .failure(.init(message: "unexpected '\(scalars[position])' after a number", offset: position))
        }
        let literal = text(start..<position).replacingUnderscores()
        if !isDecimal, let integer = Int64(literal) { return .success(.integer(integer)) }
        guard let double = Double(literal), double.isFinite else {
            return .failure(.init(message: "the number \(literal) is out of range", offset: start))
        }
        return .success(.decimal(double))
    }

    mutating func string(quote: Unicode.Scalar) -> Result<String, ExpressionSyntaxFailure> {
        let start = position
        position += 1
        var result = ""
        while position < scalars.count {
            let c = scalars[position]
            position += 1
            if c == quote { return .success(result) }
            if c != "\\" {
                result.unicodeScalars.append(c)
                continue
            }
            guard position < scalars.count else { break }
            let e = scalars[position]
            position += 1
            switch e {
            case "n": result += "\n"
            case "t": result += "\t"
            case "r": result += "\r"
            case "\\", "'", "\"": result.unicodeScalars.append(e)
            case "u":
                guard position + 4 <= scalars.count, let code = UInt32(text(position..<position + 4), radix: 16),
                      let scalar = Unicode.Scalar(code) else {
                    return .failure(.init(message: "\\u must be followed by 4 hex digits", offset: position - 2))
                }
                position += 4
                result.unicodeScalars.append(scalar)
            default:
                return .failure(.init(message: "unknown escape '\\\(e)' in a string", offset: position - 2))
            }
        }
        return .failure(.init(message: "unterminated string", offset: start))
    }
}

struct ExpressionSyntaxFailure: Error, Sendable {
    let message: String
    let offset: Int
    var isUnknownFilter = false
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        contains("_") ? String(unicodeScalars.filter { $0 != "_" }.map(Character.init)) : self
    }
}
