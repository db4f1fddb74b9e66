import Foundation
/// Filters on arrays (and a few on objects): counting, summing, picking, filtering and joining.
enum CollectionFilters {
    static let all: [Filter] = [
        Filter("count", summary: "number of items (or characters, or keys)") { input, _, context throws(RenderError) in
            try count(input, context)
        },
        Filter("length", summary: "same as count") { input, _, context throws(RenderError) in
            try count(input, context)
        },
        Filter("first", summary: "the first item, or null") { input, _, context throws(RenderError) in
            switch input {
            case .null: return .null
            case .array(let a): return a.first ?? .null
            case .string(let s): return s.first.map { .string(String($0)) } ?? .null
            default: throw context.wrongInput(input, expected: "an array")
            }
        },
        Filter("last", summary: "the last item, or null") { input, _, context throws(RenderError) in
            switch input {
            case .null: return .null
            case .array(let a): return a.last ?? .null
            case .string(let s): return s.last.map { .string(String($0)) } ?? .null
            default: throw context.wrongInput(input, expected: "an array")
            }
        },
        Filter("join", arity: 0...1, summary: "join(', '): items as text with a separator") {
            input, arguments, context throws(RenderError) in
            let separator = try context.string(arguments, 0) ?? ", "
            switch input {
            case .null: return .string("")
            case .array(let a):
                var result = ""
                var first = true
                for item in a where item != .null {
                    if !first { result += separator }
                    first = false
                    item.appendPlainText(to: &result)
                }
                return .string(result)
            case .string: return input
            default: throw context.wrongInput(input, expected: "an array")
            }
        },
        Filter("sum", arity: 0...1, summary: "sum or sum('key'): total of numbers, integers stay exact") {
            input, arguments, context throws(RenderError) in
            let key = try context.string(arguments, 0)
            let items = try array(input, context)
            var integerTotal: Int64 = 0
            var doubleTotal = 0.0
            var isInteger = true
            for (i, item) in items.enumerated() {
                let value = key.map { item[$0] ?? .null } ?? item
                switch value {
                case .null: continue
                case .integer(let n):
                    if isInteger {
                        let (t, overflow) = integerTotal.addingReportingOverflow(n)
                        if overflow { throw context.error("the total is too large for an integer") }
                        integerTotal = t
                    } else {
                        doubleTotal += Double(n)
                    }
                case .number(let d):
                    if isInteger {
                        isInteger = false
                        doubleTotal = Double(integerTotal)
                    }
                    doubleTotal += d
                default:
                    let what = key.map { "[\(i)].\($0)" } ?? "[\(i)]"
                    throw context.error("item \(what) is \(value.typeName) \(value.shortDescription), not a number")
                }
            }
            return isInteger ? .integer(integerTotal) : .number(doubleTotal)
        },
        Filter("map", arity: 1...1, summary: "map('key'): that member of every item") {
            input, arguments, context throws(RenderError) in
            guard let key = try context.string(arguments, 0) else { throw context.error("the key must be a string") }
            return .array(try array(input, context).map { $0[key] ?? .null })
        },
        Filter("where", arity: 1...2, summary: "where('key', value): items whose key equals value (or is truthy)") {
            input, arguments, context throws(RenderError) in
            guard let key = try context.string(arguments, 0) else { throw context.error("the key must be a string") }
            let items = try array(input, context)
            if let wanted = arguments[1] {
                return .array(items.filter { Value.looselyEqual($0[key] ?? .null, wanted) })
            }
            return .array(items.filter { ($0[key] ?? .null).isTruthy })
        },
        Filter("contains", arity: 1...1,
               summary: "contains(x): text contains x (ignoring case), or a list has an item equal to x") {
            input, arguments, context throws(RenderError) in
            let wanted = arguments[0] ?? .null
            switch input {
            case .string(let text):
                return .bool(text.range(of: wanted.plainText, options: .caseInsensitive) != nil)
            case .array(let items): return .bool(items.contains { Value.looselyEqual($0, wanted) })
            case .object(let object): return .bool(object[wanted.plainText] != nil)
            case .null: return .bool(false)
            default: throw context.error("contains needs text or a list, not \(input.typeName)")
            }
        },
        Filter("min", arity: 0...1, summary: "min or min('key'): the smallest number or text") {
            input, arguments, context throws(RenderError) in
            try extreme(input, arguments, context, wantLarger: false)
        },
        Filter("max", arity: 0...1, summary: "max or max('key'): the largest number or text") {
            input, arguments, context throws(RenderError) in
            try extreme(input, arguments, context, wantLarger: true)
        },
        Filter("reverse", summary: "items in reverse order") { input, _, context throws(RenderError) in
            if case .string(let s) = input { return .string(String(s.reversed())) }
            return .array(try array(input, context).reversed())
        },
        Filter("sort", arity: 0...1, summary: "sort or sort('key'): items in ascending order (numbers or text)") {
            input, arguments, context throws(RenderError) in
            let key = try context.string(arguments, 0)
            let items = try array(input, context)
            let sortKeys = items.map { item in key.map { item[$0] ?? .null } ?? item }
            // Nulls go last; mixed types are an error rather than an arbitrary order.
            if let first = sortKeys.first(where: { !$0.isNull }) {
                for value in sortKeys where !value.isNull && Value.order(first, value) == nil {
                    throw context.error("cannot sort \(first.typeName) with \(value.typeName)")
                }
            }
            let order = items.indices.sorted { a, b in
                switch (sortKeys[a].isNull, sortKeys[b].isNull) {
                case (true, true): return a < b
                case (true, false): return false
                case (false, true): return true
                case (false, false):
                    let o = Value.order(sortKeys[a], sortKeys[b]) ?? 0
                    return o != 0 ? o < 0 : a < b
                }
            }
            return .array(order.map { items[$0] })
        },
        Filter("unique", summary: "items without repeats, first occurrence kept") { input, _, context throws(RenderError) in
            var seen = Set<Value>()
            return .array(try array(input, context).filter { seen.insert($0).inserted })
        },
        Filter("keys", summary: "the keys of an object, in document order") { input, _, context throws(RenderError) in
            guard case .object(let o) = input else { throw context.wrongInput(input, expected: "an object") }
            return .array(o.keys.map(Value.string))
        },
    ]

    static func count(_ input: Value, _ context: FilterContext) throws(RenderError) -> Value {
        switch input {
        case .null: .integer(0)
        case .array(let a): .integer(Int64(a.count))
        case .object(let o): .integer(Int64(o.count))
        case .string(let s): .integer(Int64(s.count))
        default: throw context.wrongInput(input, expected: "an array")
        }
    }

    /// The input as an array; null counts as empty.
    static func array(_ input: Value, _ context: FilterContext) throws(RenderError) -> [Value] {
        switch input {
        case .null: return []
        case .array(let a): return a
        default: throw context.wrongInput(input, expected: "an array")
        }
    }

    static func extreme(_ input: Value, _ arguments: FilterArguments, _ context: FilterContext,
                        wantLarger: Bool) throws(RenderError) -> Value {
        let key = try context.string(arguments, 0)
        var best: Value?
        for item in try array(input, context) {
            let value = key.map { item[$0] ?? .null } ?? item
            if case .null = value { continue }
            guard let current = best else { best = value; continue }
            guard let order = Value.order(value, current) else {
                throw context.error("cannot compare \(value.typeName) \(value.shortDescription) "
                                    + "with \(current.typeName) \(current.shortDescription)")
            }
            if wantLarger ? order > 0 : order < 0 { best = value }
        }
        return best ?? .null
    }
}
