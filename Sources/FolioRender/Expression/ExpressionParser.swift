/// Recursive-descent parser for the expression language.
///
/// Precedence, loosest first:
///
/// | level | operators |
/// |---|---|
/// | conditional | `c ? a : b` (right-associative) |
/// | null-coalescing | `a ?? b` |
/// | or | `or`, `\|\|` |
/// | and | `and`, `&&` |
/// | not | `not a` |
/// | comparison | `== != < <= > >=` (not chained) |
/// | additive | `+ -` |
/// | multiplicative | `* / %` |
/// | filter | `a \| name(args)` |
/// | unary | `-a`, `!a` |
/// | postfix | `a.b`, `a[i]`, `a['key']` |
///
/// Filters bind tighter than arithmetic, as in Jinja: `qty * price | money` formats only `price`; write
/// `(qty * price) | money`.
struct ExpressionParser {
    /// Longest expression, in tokens. Evaluation recurses once per operator, so this bounds its stack use.
    static let maxTokens = 512
    /// Deepest nesting of parentheses, brackets and filter arguments.
    static let maxNesting = 32

    let tokens: [ExpressionToken]
    let filters: FilterRegistry
    var index = 0
    var nesting = 0

    init(tokens: [ExpressionToken], filters: FilterRegistry) {
        self.tokens = tokens
        self.filters = filters
    }

    typealias Failure = ExpressionSyntaxFailure

    var current: ExpressionToken { tokens[index] }

    mutating func parseAll() throws(Failure) -> ExpressionNode {
        if case .end = current.kind { throw Failure(message: "the expression is empty", offset: current.offset) }
        if tokens.count > Self.maxTokens {
            throw Failure(message: "the expression is longer than \(Self.maxTokens) tokens; split it or compute the "
                              + "value in the data", offset: tokens[Self.maxTokens].offset)
        }
        let node = try conditional()
        guard case .end = current.kind else {
            throw Failure(message: "unexpected \(describe(current)) after a complete expression", offset: current.offset)
        }
        return node
    }

    // MARK: levels

    mutating func conditional() throws(Failure) -> ExpressionNode {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting {
            throw Failure(message: "the expression is nested more than \(Self.maxNesting) levels deep", offset: current.offset)
        }
        let condition = try coalesce()
        guard isSymbol("?") else { return condition }
        index += 1
        let whenTrue = try conditional()
        try expectSymbol(":", "':' in a conditional 'c ? a : b'")
        let whenFalse = try conditional()
        return .conditional(condition, whenTrue, whenFalse)
    }

    mutating func coalesce() throws(Failure) -> ExpressionNode {
        var node = try or()
        while isSymbol("??") {
            index += 1
            node = .coalesce(node, try or())
        }
        return node
    }

    mutating func or() throws(Failure) -> ExpressionNode {
        var node = try and()
        while isSymbol("||") || isWord("or") {
            index += 1
            node = .or(node, try and())
        }
        return node
    }

    mutating func and() throws(Failure) -> ExpressionNode {
        var node = try not()
        while isSymbol("&&") || isWord("and") {
            index += 1
            node = .and(node, try not())
        }
        return node
    }

    mutating func not() throws(Failure) -> ExpressionNode {
        if isWord("not") {
            index += 1
            nesting += 1
            defer { nesting -= 1 }
            if nesting > Self.maxNesting {
                throw Failure(message: "too many 'not' in a row", offset: current.offset)
            }
            return .not(try not())
        }
        return try comparison()
    }

    mutating func comparison() throws(Failure) -> ExpressionNode {
        let left = try additive()
        guard let op = comparisonOperator() else { return left }
        let offset = current.offset
        index += 1
        let right = try additive()
        if comparisonOperator() != nil {
            throw Failure(message: "comparisons cannot be chained; join them with 'and'", offset: current.offset)
        }
        return .binary(op, left, right, offset: offset)
    }

    func comparisonOperator() -> BinaryOperator? {
        guard case .symbol(let s) = current.kind else { return nil }
        switch s {
        case "==": return .equal
        case "!=": return .notEqual
        case "<": return .less
        case "<=": return .lessOrEqual
        case ">": return .greater
        case ">=": return .greaterOrEqual
        default: return nil
        }
    }

    mutating func additive() throws(Failure) -> ExpressionNode {
        var node = try multiplicative()
        while case .symbol(let s) = current.kind, s == "+" || s == "-" {
            let offset = current.offset
            index += 1
            node = .binary(s == "+" ? .add : .subtract, node, try multiplicative(), offset: offset)
        }
        return node
    }

    mutating func multiplicative() throws(Failure) -> ExpressionNode {
        var node = try piped()
        while case .symbol(let s) = current.kind, s == "*" || s == "/" || s == "%" {
            let offset = current.offset
            index += 1
            let op: BinaryOperator = s == "*" ? .multiply : s == "/" ? .divide : .remainder
            node = .binary(op, node, try piped(), offset: offset)
        }
        return node
    }

    mutating func piped() throws(Failure) -> ExpressionNode {
        var node = try unary()
        while isSymbol("|") {
            index += 1
            guard case .identifier(let name) = current.kind else {
                throw Failure(message: "expected a filter name after '|', found \(describe(current))",
                              offset: current.offset)
            }
            let nameOffset = current.offset
            index += 1
            guard let filter = filters[name] else {
                var message = "unknown filter '\(name)'"
                if let suggestion = filters.suggestion(for: name) { message += "; did you mean '\(suggestion)'?" }
                throw Failure(message: message, offset: nameOffset, isUnknownFilter: true)
            }
            var arguments: [ExpressionNode] = []
            if isSymbol("(") {
                index += 1
                if !isSymbol(")") {
                    while true {
                        arguments.append(try conditional())
                        if isSymbol(",") { index += 1; continue }
                        break
                    }
                }
                try expectSymbol(")", "')' or ',' in the arguments of '\(name)'")
            }
            guard filter.arity.contains(arguments.count) else {
                let expected = filter.arity.lowerBound == filter.arity.upperBound
                    ? "\(filter.arity.lowerBound)" : "\(filter.arity.lowerBound) to \(filter.arity.upperBound)"
                throw Failure(message: "'\(name)' takes \(expected) argument\(filter.arity.upperBound == 1 ? "" : "s"), "
                                  + "given \(arguments.count)" + (filter.summary.isEmpty ? "" : " (\(filter.summary))"),
                              offset: nameOffset)
            }
            var constants: [Value]? = []
            for argument in arguments {
                if case .literal(let value) = argument { constants?.append(value) } else { constants = nil }
            }
            node = .filter(FilterCall(filter: filter, input: node, arguments: arguments,
                                      constantArguments: constants.map(FilterArguments.init), offset: nameOffset))
        }
        return node
    }

    mutating func unary() throws(Failure) -> ExpressionNode {
        guard isSymbol("-") || isSymbol("!") else { return try postfix() }
        let isMinus = isSymbol("-")
        let offset = current.offset
        index += 1
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting {
            throw Failure(message: "too many unary operators in a row", offset: offset)
        }
        let operand = try unary()
        guard isMinus else { return .not(operand) }
        switch operand {
        case .literal(.integer(let i)) where i != .min: return .literal(.integer(-i))
        case .literal(.number(let d)): return .literal(.number(-d))
        default: return .negate(operand, offset: offset)
        }
    }

    mutating func postfix() throws(Failure) -> ExpressionNode {
        let base = try primary()
        var steps: [PathStep] = []
        while true {
            if isSymbol(".") {
                index += 1
                switch current.kind {
                case .identifier(let name): steps.append(.key(name))
                case .integer(let i): steps.append(.index(Int(i)))
                default:
                    throw Failure(message: "expected a name after '.', found \(describe(current))", offset: current.offset)
                }
                index += 1
            } else if isSymbol("[") {
                index += 1
                let innerOffset = current.offset
                let inner = try conditional()
                try expectSymbol("]", "']'")
                switch inner {
                case .literal(.string(let key)): steps.append(.key(key))
                case .literal(.integer(let i)): steps.append(.index(Int(i)))
                default: steps.append(.computed(inner, offset: innerOffset))
                }
            } else {
                break
            }
        }
        if steps.isEmpty { return base }
        if case .path(let root, let first) = base { return .path(root: root, steps: first + steps) }
        return .postfix(base, steps: steps)
    }

    mutating func primary() throws(Failure) -> ExpressionNode {
        let token = current
        switch token.kind {
        case .integer(let i): index += 1; return .literal(.integer(i))
        case .decimal(let d): index += 1; return .literal(.number(d))
        case .string(let s): index += 1; return .literal(.string(s))
        case .identifier(let name):
            switch name {
            case "true": index += 1; return .literal(.bool(true))
            case "false": index += 1; return .literal(.bool(false))
            case "null", "nil": index += 1; return .literal(.null)
            case "and", "or", "not":
                throw Failure(message: "expected a value, found '\(name)'", offset: token.offset)
            default: index += 1; return .path(root: name, steps: [])
            }
        case .symbol("("):
            index += 1
            let inner = try conditional()
            try expectSymbol(")", "')'")
            return inner
        case .end:
            throw Failure(message: "the expression ends where a value was expected", offset: token.offset)
        default:
            throw Failure(message: "expected a value, found \(describe(token))", offset: token.offset)
        }
    }

    // MARK: helpers

    func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let s) = current.kind { return s == symbol }
        return false
    }

    func isWord(_ word: String) -> Bool {
        if case .identifier(let s) = current.kind { return s == word }
        return false
    }

    mutating func expectSymbol(_ symbol: String, _ what: String) throws(Failure) {
        guard isSymbol(symbol) else {
            throw Failure(message: "expected \(what), found \(describe(current))", offset: current.offset)
        }
        index += 1
    }

    func describe(_ token: ExpressionToken) -> String {
        switch token.kind {
        case .integer(let i): "the number \(i)"
        case .decimal(let d): "the number \(Value.plainNumber(d))"
        case .string(let s): "the string '\(s)'"
        case .identifier(let s): "'\(s)'"
        case .symbol(let s): "'\(s)'"
        case .end: "the end of the expression"
        }
    }
}
