/// A named transformation usable in expressions as `value | name` or `value | name(argument, …)`.
///
/// Filters are looked up in a ``FilterRegistry`` when an expression is parsed, so an unknown name or a wrong number of
/// arguments fails at template load, never mid-render. The body runs at every evaluation: it must be thread-safe, must
/// not keep state between calls other than caches, and reports bad input by throwing `context.error(…)`.
public struct Filter: Sendable {
    /// The transformation: the piped value, the evaluated arguments (their count is within ``arity``) and the call's
    /// context. Null input should usually give null, so optional data prints as nothing.
    public typealias Body = @Sendable (_ input: Value, _ arguments: FilterArguments, _ context: FilterContext)
        throws(RenderError) -> Value

    /// The name written after `|`: lower case, words joined by `_`.
    public let name: String
    /// How many arguments the filter accepts.
    public let arity: ClosedRange<Int>
    /// One line for documentation and error hints, e.g. `money('EUR') — integer minor units as currency`.
    public let summary: String
    let body: Body

    public init(_ name: String, arity: ClosedRange<Int> = 0...0, summary: String = "", body: @escaping Body) {
        self.name = name
        self.arity = arity
        self.summary = summary
        self.body = body
    }
}

/// The evaluated arguments of one filter call.
public struct FilterArguments: Sendable {
    public let values: [Value]

    public init(_ values: [Value]) { self.values = values }

    public var count: Int { values.count }

    /// The argument at `index`, or nil when it was not given.
    public subscript(index: Int) -> Value? { index < values.count ? values[index] : nil }
}

/// What a filter body may know about its call: where it is written and how to format.
public struct FilterContext: Sendable {
    public let format: FormatContext
    /// Where the filter's name is written in the template.
    public let location: SourceLocation
    public let name: String

    public init(format: FormatContext, location: SourceLocation, name: String) {
        self.format = format
        self.location = location
        self.name = name
    }

    /// An `.evaluation` error at the filter's location, prefixed with its name.
    public func error(_ message: String) -> RenderError {
        RenderError(.evaluation, "\(name): \(message)", location: location)
    }

    /// An error saying the input has the wrong type.
    public func wrongInput(_ input: Value, expected: String) -> RenderError {
        error("expected \(expected) as input, found \(input.typeName) \(input.shortDescription)")
    }

    /// Argument `index` as an integer, or `defaultValue` when it is absent or null.
    public func integer(_ arguments: FilterArguments, _ index: Int, default defaultValue: Int) throws(RenderError) -> Int {
        switch arguments[index] {
        case nil, .null?: return defaultValue
        case .integer(let i)?: return Int(i)
        case .number(let d)? where d == d.rounded() && abs(d) < 1e15: return Int(d)
        case let other?: throw error("argument \(index + 1) must be an integer, found \(other.typeName) \(other.shortDescription)")
        }
    }

    /// Argument `index` as a string, or nil when it is absent or null.
    public func string(_ arguments: FilterArguments, _ index: Int) throws(RenderError) -> String? {
        switch arguments[index] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw error("argument \(index + 1) must be a string, found \(other.typeName) \(other.shortDescription)")
        }
    }
}

extension Value {
    /// A short, quoted rendering of the value for error messages (`"two"`, `42`, `[3 items]`).
    public var shortDescription: String {
        switch self {
        case .null: return "null"
        case .string(let s):
            let clipped = s.count > 40 ? String(s.prefix(40)) + "…" : s
            return "\"" + clipped + "\""
        case .array(let a): return "[\(a.count) item\(a.count == 1 ? "" : "s")]"
        case .object(let o): return "{\(o.count) key\(o.count == 1 ? "" : "s")}"
        default: return plainText
        }
    }
}
