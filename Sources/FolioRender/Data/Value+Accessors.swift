extension Value {
    /// The text of a string value, or nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer of an integer value (or of a number with no fraction), or nil.
    public var integerValue: Int64? {
        switch self {
        case .integer(let i): i
        case .number(let d) where d == d.rounded() && abs(d) < 9e15: Int64(d)
        default: nil
        }
    }

    /// The elements of an array value, or nil.
    public var arrayValue: [Value]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members of an object value, or nil.
    public var objectValue: ValueObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The boolean of a boolean value, or nil (use ``isTruthy`` for `if`).
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The element at `index` of an array, or nil.
    public subscript(index: Int) -> Value? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }
}

// Not ExpressibleByNilLiteral: `optionalValue == nil` would then quietly compare with `.null`.
extension Value: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    /// An object with the keys in the order written.
    public init(dictionaryLiteral elements: (String, Value)...) { self = .object(ValueObject(elements)) }
}

extension Value: CustomStringConvertible {
    /// Compact JSON.
    public var description: String { jsonText() }
}
