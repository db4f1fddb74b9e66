extension DataShape {
    /// At most this many problems are listed; a note says how many more there were.
    static let problemLimit = 100

    /// Checks `value` against the shape.
    /// - Throws: `.dataInvalid` listing every problem by JSON path, e.g.
    ///   `$.lines[3].quantity: expected number, found string "two"`.
    public func validate(_ value: Value) throws(RenderError) {
        let problems = problems(in: value)
        guard !problems.isEmpty else { return }
        let summary = problems.count == 1
            ? "the data does not fit the template: \(problems[0])"
            : "the data does not fit the template: \(problems.count) problems"
        throw RenderError(.dataInvalid, summary, path: problems.count == 1 ? problems[0].path : nil,
                          problems: problems)
    }

    /// Every problem with `value`, in document order of the shape (capped at 100, plus a note).
    public func problems(in value: Value) -> [RenderError.Problem] {
        var checker = ShapeChecker()
        checker.check(value, against: self)
        if checker.overflow > 0 {
            checker.problems.append(RenderError.Problem(path: "$", message: "… and \(checker.overflow) more problems"))
        }
        return checker.problems
    }
}

struct ShapeChecker {
    var problems: [RenderError.Problem] = []
    var overflow = 0
    var path: [JSONPathComponent] = []

    mutating func report(_ message: String) {
        if problems.count >= DataShape.problemLimit {
            overflow += 1
            return
        }
        problems.append(RenderError.Problem(path: JSONPath.render(path), message: message))
    }

    mutating func expected(_ what: String, _ value: Value) {
        report("expected \(what), found \(value.typeName)\(value.isNull ? "" : " " + value.shortDescription)")
    }

    mutating func check(_ value: Value, against shape: DataShape) {
        if case .null = value {
            if !shape.optional, !shape.isAny { report("expected \(shape.typeName), found null") }
            return
        }
        switch shape.kind {
        case .any:
            break
        case .string:
            guard case .string(let s) = value else { return expected("string", value) }
            let length = s.count
            if let min = shape.minLength, length < min { report("must be at least \(min) characters, found \(length)") }
            if let max = shape.maxLength, length > max { report("must be at most \(max) characters, found \(length)") }
        case .integer:
            switch value {
            case .integer: break
            case .number(let d) where d == d.rounded() && abs(d) < 9e15: break
            default: return expected("integer", value)
            }
            checkRange(value, shape)
        case .number:
            guard value.doubleValue != nil else { return expected("number", value) }
            checkRange(value, shape)
        case .boolean:
            guard case .bool = value else { return expected("boolean (true or false)", value) }
        case .date:
            guard case .string(let s) = value, let parsed = CalendarValue.parse(s), parsed.kind == .date else {
                return expected("a date (YYYY-MM-DD)", value)
            }
        case .dateTime:
            guard case .string(let s) = value, let parsed = CalendarValue.parse(s), parsed.kind == .dateTime else {
                return expected("a date-time with offset (YYYY-MM-DDTHH:MM:SS+00:00)", value)
            }
        case .time:
            guard case .string(let s) = value, let parsed = CalendarValue.parse(s), parsed.kind == .time else {
                return expected("a time (HH:MM)", value)
            }
        case .object(let fields):
            guard case .object(let object) = value else { return expected("object", value) }
            for field in fields ?? [] {
                path.append(.key(field.name))
                if let member = object[field.name] {
                    check(member, against: field.shape)
                } else if !field.shape.optional {
                    report("required \(field.shape.typeName) is missing")
                }
                path.removeLast()
            }
        case .array(let items):
            guard case .array(let array) = value else { return expected("array", value) }
            if let min = shape.minItems, array.count < min {
                report("must have at least \(min) item\(min == 1 ? "" : "s"), found \(array.count)")
            }
            if let max = shape.maxItems, array.count > max {
                report("must have at most \(max) item\(max == 1 ? "" : "s"), found \(array.count)")
            }
            if let items {
                for (i, item) in array.enumerated() {
                    path.append(.index(i))
                    check(item, against: items)
                    path.removeLast()
                }
            }
        }
        if let allowed = shape.allowed, !allowed.contains(where: { Value.looselyEqual($0, value) }) {
            report("expected one of \(allowed.map(\.plainText).joined(separator: ", ")); found \(value.shortDescription)")
        }
    }

    mutating func checkRange(_ value: Value, _ shape: DataShape) {
        guard let d = value.doubleValue else { return }
        if let min = shape.minimum, d < min { report("must be at least \(Value.plainNumber(min)), found \(value.plainText)") }
        if let max = shape.maximum, d > max { report("must be at most \(Value.plainNumber(max)), found \(value.plainText)") }
    }
}

extension DataShape {
    var isAny: Bool {
        if case .any = kind { return true }
        return false
    }
}

extension Value {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
