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

/// An object with keys in document order.
///
/// Members live in one array; objects of up to ``indexThreshold`` members (nearly every object in business documents) are
/// searched in place, which is cheaper than hashing each key, and larger ones get a key index so look-up stays O(1).
public struct ValueObject: Sendable, Hashable {
    /// A member; a struct rather than a tuple so arrays of them are copied and destroyed by specialised code.
    private struct Member: Sendable {
        var key: String
        var value: Value
    }

    private var entries: [Member] = []
    private var index: [String: Int]?
    static let indexThreshold = 12

    public init() {}

    /// Room for `n` members without growing (a parser knows objects usually have a handful).
    mutating func reserveCapacity(_ n: Int) { entries.reserveCapacity(n) }

    public init(_ pairs: [(String, Value)]) {
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// Keys in document order.
    public var keys: [String] { entries.map(\.key) }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return entries.firstIndex { $0.key == key }
    }

    public subscript(key: String) -> Value? {
        get { position(of: key).map { entries[$0].value } }
        set {
            if let newValue {
                if let i = position(of: key) { entries[i].value = newValue } else { append(key, newValue) }
            } else if let i = position(of: key) {
                entries.remove(at: i)
                index = nil
                buildIndexIfLarge()
            }
        }
    }

    /// Adds `value` under a key not yet present; false (and no change) when the key exists.
    mutating func insertNew(_ key: String, _ value: Value) -> Bool {
        if position(of: key) != nil { return false }
        append(key, value)
        return true
    }

    private mutating func append(_ key: String, _ value: Value) {
        entries.append(Member(key: key, value: value))
        if index != nil { index![key] = entries.count - 1 } else { buildIndexIfLarge() }
    }

    private mutating func buildIndexIfLarge() {
        guard entries.count > Self.indexThreshold else { return }
        var map = [String: Int](minimumCapacity: entries.count * 2)
        for (i, e) in entries.enumerated() { map[e.key] = i }
        index = map
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Pairs in document order.
    public var pairs: [(key: String, value: Value)] { entries.map { ($0.key, $0.value) } }

    /// Calls `body` with each member in document order (no array of pairs is made).
    public func forEach(_ body: (String, Value) throws -> Void) rethrows {
        for e in entries { try body(e.key, e.value) }
    }

    /// Equal when they hold the same members, in any order (as JSON objects are).
    public static func == (lhs: ValueObject, rhs: ValueObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, like ==: the members' own hashes combined commutatively.
        var sum = 0
        for e in entries {
            var h = Hasher()
            h.combine(e.key)
            h.combine(e.value)
            sum &+= h.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
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
