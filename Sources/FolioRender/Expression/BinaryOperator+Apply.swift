enum OperatorFailure: Error {
    case typeMismatch(verb: String)
    case divisionByZero
    case overflow
}

extension BinaryOperator {
    /// Applies the operator. Integers stay integers where the result is exact; any number makes the result a number.
    func apply(_ left: Value, _ right: Value) throws(OperatorFailure) -> Value {
        switch self {
        case .add:
            // Text joins with anything printable, so `'age ' + 61` reads as it looks; null joins as nothing.
            switch (left, right) {
            case (.string(let a), .string(let b)): return .string(a + b)
            case (.string(let a), .integer), (.string(let a), .number), (.string(let a), .bool), (.string(let a), .null):
                return .string(a + right.plainText)
            case (.integer, .string(let b)), (.number, .string(let b)), (.bool, .string(let b)), (.null, .string(let b)):
                return .string(left.plainText + b)
            default: break
            }
            return try arithmetic(left, right, verb: "add", Int64.addingReportingOverflow, +)
        case .subtract:
            return try arithmetic(left, right, verb: "subtract", Int64.subtractingReportingOverflow, -)
        case .multiply:
            return try arithmetic(left, right, verb: "multiply", Int64.multipliedReportingOverflow, *)
        case .divide:
            if case .integer(let a) = left, case .integer(let b) = right {
                if b == 0 { throw .divisionByZero }
                if a % b == 0 {
                    let (q, o) = a.dividedReportingOverflow(by: b)
                    if o { throw .overflow }
                    return .integer(q)
                }
                return .number(Double(a) / Double(b))
            }
            guard let a = left.doubleValue, let b = right.doubleValue else { throw .typeMismatch(verb: "divide") }
            if b == 0 { throw .divisionByZero }
            return .number(a / b)
        case .remainder:
            if case .integer(let a) = left, case .integer(let b) = right {
                if b == 0 { throw .divisionByZero }
                let (r, o) = a.remainderReportingOverflow(dividingBy: b)
                return .integer(o ? 0 : r)
            }
            guard let a = left.doubleValue, let b = right.doubleValue else {
                throw .typeMismatch(verb: "take the remainder of")
            }
            if b == 0 { throw .divisionByZero }
            return .number(a.truncatingRemainder(dividingBy: b))
        case .equal:
            return .bool(Value.looselyEqual(left, right))
        case .notEqual:
            return .bool(!Value.looselyEqual(left, right))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let order = Value.order(left, right) else { throw .typeMismatch(verb: "compare") }
            switch self {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        }
    }

    private func arithmetic(_ left: Value, _ right: Value, verb: String,
                            _ integer: (Int64) -> (Int64) -> (partialValue: Int64, overflow: Bool),
                            _ double: (Double, Double) -> Double) throws(OperatorFailure) -> Value {
        if case .integer(let a) = left, case .integer(let b) = right {
            let (result, overflow) = integer(a)(b)
            if overflow { throw .overflow }
            return .integer(result)
        }
        guard let a = left.doubleValue, let b = right.doubleValue else { throw .typeMismatch(verb: verb) }
        return .number(double(a, b))
    }
}

extension Value {
    /// Equality as `==` sees it: integers and numbers compare by value, everything else structurally.
    static func looselyEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.integer(let x), .number(let y)), (.number(let y), .integer(let x)): return Double(x) == y
        default: return a == b
        }
    }

    /// -1, 0 or 1 for two numbers or two strings; nil for any other pair.
    static func order(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y ? -1 : x == y ? 0 : 1
        case (.string(let x), .string(let y)): return x < y ? -1 : x == y ? 0 : 1
        default:
            guard let x = a.doubleValue, let y = b.doubleValue else { return nil }
            return x < y ? -1 : x == y ? 0 : 1
        }
    }
}
