/// Checking request data against a template's data shape without building it.
///
/// The service validates every request's data, but only the worker needs it as a `Value`: building the tree and freeing
/// it again cost a fifth of accepting a render. ``ShapeScanPlan`` walks the bytes with the strict parser's own rules and
/// limits and checks scalars with the same `ShapeChecker` as ``DataShape/problems(in:)``. It answers only "fits" or
/// "take the ordinary path": at the first doubt (a misfit, an escaped or non-ASCII key, a very large object, malformed
/// JSON) it says no, and the caller parses and validates as before, which finds the exact errors. So a `true` is never
/// wrong, and a `false` costs one ordinary parse.
public final class ShapeScanPlan: @unchecked Sendable {
    enum Kind { case any, object, array, scalar, never }
    let kind: Kind
    /// The shape scalars and `null` are checked against (`nil`: anything).
    let shape: DataShape?
    /// Object fields: names as bytes, their plans, which are required.
    let keys: [[UInt8]]
    let plans: [ShapeScanPlan]
    let required: [Bool]
    /// `required` as bits, for objects of up to 64 fields (larger ones take the ordinary path).
    let requiredMask: UInt64
    /// Array items.
    let items: ShapeScanPlan?
    /// A string's value must be decoded to check it (lengths, dates, an enum).
    let stringNeedsValue: Bool

    /// Compiles `shape` (once per template; the plan is immutable and shared).
    public convenience init(_ shape: DataShape) { self.init(shape: shape) }

    private init(shape: DataShape?) {
        self.shape = shape
        var keys: [[UInt8]] = [], plans: [ShapeScanPlan] = [], required: [Bool] = []
        var items: ShapeScanPlan?
        var needsValue = false
        switch shape?.kind {
        case nil, .any?:
            kind = .any
        case .object(let fields)?:
            kind = shape?.allowed == nil ? .object : .never
            for f in fields ?? [] {
                keys.append(Array(f.name.utf8)); plans.append(ShapeScanPlan(shape: f.shape)); required.append(!f.shape.optional)
            }
        case .array(let itemShape)?:
            kind = shape?.allowed == nil ? .array : .never
            items = itemShape.map { ShapeScanPlan(shape: $0) }
        case .string?:
            kind = .scalar
            needsValue = shape?.minLength != nil || shape?.maxLength != nil || shape?.allowed != nil
        case .date?, .dateTime?, .time?:
            kind = .scalar
            needsValue = true
        case .integer?, .number?, .boolean?:
            kind = .scalar
        }
        self.keys = keys; self.plans = plans; self.required = required; self.items = items
        self.requiredMask = required.prefix(64).enumerated().reduce(UInt64(0)) { $1.element ? $0 | (1 << UInt64($1.offset)) : $0 }
        self.stringNeedsValue = needsValue
    }

    /// The plan of a template without a data shape: any well-formed JSON fits.
    public static let anything = ShapeScanPlan(shape: nil)

    /// Whether `bytes[range]` is one JSON value that ``Value/parse(json:limits:)`` would accept and that has no problem
    /// against the shape. `depth` is how deep the value sits in its document (1 for a member of the top-level object), so
    /// the depth limit counts as when the whole document is parsed.
    public func fits(json bytes: [UInt8], range: Range<Int>, limits: DataLimits = .init(), depth: Int = 0) -> Bool {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count, !range.isEmpty else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, limits: limits)
            parser.position = range.lowerBound
            parser.depth = depth
            return parser.scanFits(self) && parser.position == range.upperBound
        }
    }
}

extension Value {
    /// Parses a JSON object document except its member `skipped`, whose value is only located by its structure (strings
    /// and brackets matched, nothing else checked): check `skippedRange` with ``ShapeScanPlan/fits(json:range:limits:depth:)``
    /// before trusting it, which reads it strictly. `nil` when the document is not such an object or anything is in doubt:
    /// parse it the ordinary way then, for the exact error.
    public static func parseSkippingMember(_ skipped: String, json bytes: [UInt8], limits: DataLimits = .init())
        -> (value: Value, skippedRange: Range<Int>?)? {
        guard bytes.count <= limits.maxBytes else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, limits: limits)
            return try? parser.parseObjectSkipping(skipped)
        }
    }
}

extension JSONParser {
    mutating func parseObjectSkipping(_ skipped: String) throws(RenderError) -> (value: Value, skippedRange: Range<Int>?)? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { return nil }
        try enter()
        position += 1
        var object = ValueObject()
        var range: Range<Int>?
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { return nil }
                let key = try parseString()
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { return nil }
                position += 1
                skipWhitespace()
                if key == skipped {
                    guard range == nil else { return nil }
                    let start = position
                    guard skipStructure() else { return nil }
                    range = start..<position
                } else {
                    guard object.insertNew(key, try parseValue()) else { return nil }
                }
                guard object.count + (range == nil ? 0 : 1) <= limits.maxCollectionCount else { return nil }
                skipWhitespace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                guard peek() == UInt8(ascii: "}") else { return nil }
                position += 1
                break
            }
        }
        depth -= 1
        skipWhitespace()
        guard position == bytes.count else { return nil }
        return (.object(object), range)
    }

    /// Moves past one value by its structure alone: strings (escapes included) and brackets are matched, nothing else is
    /// checked, so it is several times cheaper than a strict pass. Only for locating a value that is then read strictly.
    mutating func skipStructure() -> Bool {
        var nesting = 0
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                position += 1
                while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                    position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard position < bytes.count else { return false }
                position += 1
                if nesting == 0 { return true }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                nesting += 1
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard nesting > 0 else { return false }
                nesting -= 1
                position += 1
                if nesting == 0 { return true }
            case UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), UInt8(ascii: ":"):
                guard nesting > 0 else { return false }
                position += 1
            default:
                position += 1
                if nesting == 0 {
                    // A scalar at the top: it ends where a delimiter starts.
                    while position < bytes.count {
                        switch bytes[position] {
                        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: " "), UInt8(ascii: "\n"),
                             UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                            return true
                        default: position += 1
                        }
                    }
                    return true
                }
            }
        }
        return false
    }

    /// Walks one value against `plan`. True only when it is well-formed and fits.
    mutating func scanFits(_ plan: ShapeScanPlan) -> Bool {
        do { return try scan(plan) } catch { return false }
    }

    private mutating func scan(_ plan: ShapeScanPlan) throws(RenderError) -> Bool {
        guard let first = peek() else { return false }
        switch first {
        case UInt8(ascii: "{"): return try scanObject(plan)
        case UInt8(ascii: "["): return try scanArray(plan)
        case UInt8(ascii: "\""):
            switch plan.kind {
            case .any: try skipString(); return true
            case .scalar where !plan.stringNeedsValue:
                try skipString()
                if case .string? = plan.shape?.kind { return true }
                return false
            case .scalar: return check(.string(try parseString()), plan)
            default: return false
            }
        default:
            let scalar = try parseValue()
            return plan.kind == .any || check(scalar, plan)
        }
    }

    /// The ordinary checker's verdict on one scalar (or null).
    private func check(_ value: Value, _ plan: ShapeScanPlan) -> Bool {
        guard let shape = plan.shape else { return true }
        var checker = ShapeChecker()
        checker.check(value, against: shape)
        return checker.problems.isEmpty && checker.overflow == 0
    }

    /// Skips a string, as strictly as ``parseString()`` reads it: plain ASCII without escapes is checked here; anything
    /// else is read by `parseString` itself.
    private mutating func skipString() throws(RenderError) {
        let open = position
        var i = position + 1
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                if i - open - 1 > limits.maxStringBytes { break }
                position = i + 1
                return
            }
            if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { break }
            i += 1
        }
        position = open
        _ = try parseString()
    }

    private mutating func scanObject(_ plan: ShapeScanPlan) throws(RenderError) -> Bool {
        guard plan.kind == .object || plan.kind == .any else { return false }
        try enter()
        position += 1
        // Fields of the plan seen, as bits; other keys seen, as ranges of plain ASCII (kept only when there are any). Escaped
        // or non-ASCII keys, objects past 32 members and plans past 64 fields take the ordinary path (which checks
        // duplicates exactly).
        guard plan.keys.count <= 64 else { return false }
        var found: UInt64 = 0
        var others: [Range<Int>] = []
        var members = 0
        skipWhitespace()
        if peek() != UInt8(ascii: "}") {
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\""), members < 32 else { return false }
                members += 1
                let start = position + 1
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    let b = bytes[end]
                    if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { return false }
                    end += 1
                }
                guard end < bytes.count, end - start <= limits.maxStringBytes else { return false }
                let key = UnsafeBufferPointer(rebasing: bytes[start..<end])
                position = end + 1
                var child: ShapeScanPlan?
                for (i, name) in plan.keys.enumerated() where name.count == key.count && name.elementsEqual(key) {
                    let bit = UInt64(1) << UInt64(i)
                    if found & bit != 0 { return false }
                    found |= bit
                    child = plan.plans[i]
                    break
                }
                if child == nil {
                    for other in others where other.count == key.count
                        && UnsafeBufferPointer(rebasing: bytes[other]).elementsEqual(key) { return false }
                    others.append(start..<end)
                }
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { return false }
                position += 1
                skipWhitespace()
                guard try scan(child ?? .anything) else { return false }
                skipWhitespace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                guard peek() == UInt8(ascii: "}") else { return false }
                break
            }
        }
        guard members <= limits.maxCollectionCount else { return false }
        position += 1
        depth -= 1
        return found & plan.requiredMask == plan.requiredMask
    }

    private mutating func scanArray(_ plan: ShapeScanPlan) throws(RenderError) -> Bool {
        guard plan.kind == .array || plan.kind == .any else { return false }
        let items = plan.items ?? .anything
        try enter()
        position += 1
        var count = 0
        skipWhitespace()
        if peek() != UInt8(ascii: "]") {
            while true {
                skipWhitespace()
                guard count < limits.maxCollectionCount, try scan(items) else { return false }
                count += 1
                skipWhitespace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                guard peek() == UInt8(ascii: "]") else { return false }
                break
            }
        }
        position += 1
        depth -= 1
        if plan.kind == .array, let shape = plan.shape {
            if let min = shape.minItems, count < min { return false }
            if let max = shape.maxItems, count > max { return false }
        }
        return true
    }
}
