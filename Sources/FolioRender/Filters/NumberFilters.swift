import Foundation

/// Filters on numbers: locale formatting, percentages, rounding.
enum NumberFilters {
    static let all: [Filter] = [
        Filter("number", arity: 0...2, summary: "number(2): grouped digits in the locale, n decimals") {
            input, arguments, context throws(RenderError) in
            guard let decimal = try decimal(input, context) else { return .null }
            let minimum: Int, maximum: Int
            if arguments[0] == nil || arguments[0] == .null {
                (minimum, maximum) = isInteger(input) ? (0, 0) : (0, 6)
            } else {
                let digits = try digitsArgument(arguments, 0, context)
                (minimum, maximum) = (digits, max(digits, try context.integer(arguments, 1, default: digits)))
            }
            let formatter = SharedFormatters.number(locale: context.format.locale, minimum: minimum,
                                                    maximum: min(maximum, 12))
            return .string(formatter.string(from: decimal))
        },
        Filter("percent", arity: 0...1, summary: "percent(1): 20 → 20% (the input is already a percentage)") {
            input, arguments, context throws(RenderError) in
            guard let decimal = try decimal(input, context) else { return .null }
            let (minimum, maximum) = arguments[0] == nil ? (0, 2) : (try digitsArgument(arguments, 0, context),
                                                                     try digitsArgument(arguments, 0, context))
            let formatter = SharedFormatters.number(.percent, locale: context.format.locale, minimum: minimum,
                                                    maximum: maximum)
            return .string(formatter.string(from: decimal))
        },
        Filter("round", arity: 0...1, summary: "round(2): nearest, halves away from zero; round(0) gives an integer") {
            input, arguments, context throws(RenderError) in
            let digits = try context.integer(arguments, 0, default: 0)
            switch input {
            case .null: return .null
            case .integer: return input
            case .number(let d):
                guard (0...12).contains(digits) else { throw context.error("decimals must be 0 to 12") }
                var exact = SharedFormatters.decimal(d)
                var rounded = Decimal()
                NSDecimalRound(&rounded, &exact, digits, .plain)
                let result = NSDecimalNumber(decimal: rounded).doubleValue
                if digits == 0, abs(result) < 9e15 { return .integer(Int64(result)) }
                return .number(result)
            default: throw context.wrongInput(input, expected: "a number")
            }
        },
        Filter("abs", summary: "absolute value") { input, _, context throws(RenderError) in
            switch input {
            case .null: return .null
            case .integer(let i) where i != .min: return .integer(abs(i))
            case .number(let d): return .number(abs(d))
            default: throw context.wrongInput(input, expected: "a number")
            }
        },
        Filter("integer", summary: "a number or numeric text as an integer (rounded half away from zero)") {
            input, _, context throws(RenderError) in
            switch input {
            case .null, .integer: return input
            case .number(let d) where d.isFinite && abs(d) < 9e15: return .integer(Int64(d.rounded()))
            case .string(let s):
                let t = s.trimmingCharacters(in: .whitespaces)
                if let i = Int64(t) { return .integer(i) }
                if let d = Double(t), d.isFinite, abs(d) < 9e15 { return .integer(Int64(d.rounded())) }
                throw context.wrongInput(input, expected: "a number")
            default: throw context.wrongInput(input, expected: "a number")
            }
        },
    ]

    static func isInteger(_ value: Value) -> Bool {
        if case .integer = value { return true }
        return false
    }

    /// The input as an exact decimal; nil for null.
    static func decimal(_ input: Value, _ context: FilterContext) throws(RenderError) -> Decimal? {
        switch input {
        case .null: return nil
        case .integer(let i): return Decimal(i)
        case .number(let d) where d.isFinite: return SharedFormatters.decimal(d)
        default: throw context.wrongInput(input, expected: "a number")
        }
    }

    static func digitsArgument(_ arguments: FilterArguments, _ index: Int,
                               _ context: FilterContext) throws(RenderError) -> Int {
        let digits = try context.integer(arguments, index, default: 0)
        guard (0...12).contains(digits) else { throw context.error("decimals must be 0 to 12, found \(digits)") }
        return digits
    }
}
