/// A JSON value as templates see it: the request's data, a loop variable, or the result of an expression.
///
/// Integers and decimals are kept apart so that money in minor units stays exact; object keys keep the order
/// they had in the document so that `folio templates show` and error lists read as the input does.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([Value])
    case object(ValueObject)
}

/// An object with keys in document order and O(1) look-up.
public struct ValueObject: Sendable, Hashable {
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Adds `value` under a key not yet present; false (and no change) when the key exists.
    mutating func insertNew(_ key: String, _ value: Value) -> Bool {
        guard storage.updateValue(value, forKey: key) == nil else { return false }
        keys.append(key)
        return true
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// Pairs in document order.
    public var pairs: [(key: String, value: Value)] { keys.map { ($0, storage[$0]!) } }

    public static func == (lhs: ValueObject, rhs: ValueObject) -> Bool { lhs.storage == rhs.storage }
    public func hash(into hasher: inout Hasher) { hasher.combine(storage) }
}

extension Value {
    /// The member `key` of an object, or nil for any other value.
    public subscript(key: String) -> Value? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// A short name of the value's type for error messages ("string", "integer", …).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Whether `if` treats the value as true: null, false, 0, "" and empty collections are false.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .integer(let i): i != 0
        case .number(let d): d != 0 && !d.isNaN
        case .string(let s): !s.isEmpty
        case .array(let a): !a.isEmpty
        case .object(let o): !o.isEmpty
        }
    }

    /// The numeric value of an integer or number.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }
}
