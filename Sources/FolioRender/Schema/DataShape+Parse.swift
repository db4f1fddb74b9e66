import Yams

extension DataShape {
    static let optionNames: Set<String> = [
        "type", "optional", "enum", "min", "max", "min_length", "max_length", "min_items", "max_items", "items",
        "fields", "description",
    ]

    /// Reads the `data:` section of a template.
    /// - Parameters:
    ///   - node: the value of the `data:` key, as `Yams.compose` gives it.
    ///   - file: the template file, for error locations.
    /// - Throws: `.templateInvalid` naming file:line:column of the first mistake (unknown type, bad option…).
    public init(node: Node, file: String) throws(RenderError) {
        self = try DataShape.parse(node, file: file)
    }

    static func location(_ node: Node, _ file: String) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    static func invalid(_ message: String, _ node: Node, _ file: String) -> RenderError {
        RenderError(.templateInvalid, "data: \(message)", location: location(node, file))
    }

    static func parse(_ node: Node, file: String) throws(RenderError) -> DataShape {
        switch node {
        case .scalar(let scalar):
            return try parseTypeName(scalar.string, node, file)
        case .sequence(let sequence):
            let items = Array(sequence)
            var shape = DataShape(kind: .array(nil), location: location(node, file))
            switch items.count {
            case 0: break
            case 1: shape.kind = .array(try parse(items[0], file: file))
            default:
                throw invalid("an array shape is a sequence with one element, the shape of every item; "
                              + "found \(items.count) elements", items[1], file)
            }
            return shape
        case .mapping(let mapping):
            let keys = mapping.map { $0.key.string ?? "" }
            if keys.contains("type"), keys.allSatisfy(optionNames.contains) {
                return try parseLongForm(mapping, node, file)
            }
            return DataShape(kind: .object(try parseFields(mapping, file)), location: location(node, file))
        case .alias:
            throw invalid("YAML aliases are not supported in a data shape", node, file)
        }
    }

    static func parseTypeName(_ text: String, _ node: Node, _ file: String) throws(RenderError) -> DataShape {
        var name = text.trimmingTrailingWhitespace()
        var optional = false
        if name.hasSuffix("?") {
            optional = true
            name.removeLast()
        }
        guard let kind = typeNames[name.lowercased()] else {
            var message = "unknown type '\(text)'"
            let known = ["any", "string", "integer", "number", "boolean", "date", "datetime", "time", "object", "array"]
            if let close = known.min(by: { editDistance(name.lowercased(), $0) < editDistance(name.lowercased(), $1) }),
               editDistance(name.lowercased(), close) <= 2 {
                message += "; did you mean '\(close)'?"
            } else {
                message += "; the types are " + known.joined(separator: ", ") + " (add ? for optional)"
            }
            throw invalid(message, node, file)
        }
        var shape = DataShape(kind: kind, location: location(node, file))
        shape.optional = optional
        return shape
    }

    static func parseFields(_ mapping: Node.Mapping, _ file: String) throws(RenderError) -> [Field] {
        var fields: [Field] = []
        for (keyNode, valueNode) in mapping {
            guard var name = keyNode.string, !name.isEmpty else {
                throw invalid("a field name must be text", keyNode, file)
            }
            var optional = false
            if name.hasSuffix("?") {
                optional = true
                name.removeLast()
            }
            if fields.contains(where: { $0.name == name }) {
                throw invalid("the field '\(name)' is declared twice", keyNode, file)
            }
            var shape = try parse(valueNode, file: file)
            if optional { shape.optional = true }
            fields.append(Field(name: name, shape: shape))
        }
        return fields
    }

    static func parseLongForm(_ mapping: Node.Mapping, _ node: Node, _ file: String) throws(RenderError) -> DataShape {
        guard let typeNode = mapping["type"], case .scalar(let typeScalar) = typeNode else {
            throw invalid("'type' must be a type name", mapping["type"] ?? node, file)
        }
        var shape = try parseTypeName(typeScalar.string, typeNode, file)
        shape.location = location(node, file)
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "type":
                continue
            case "optional":
                guard let flag = value.bool else { throw invalid("'optional' must be true or false", value, file) }
                shape.optional = shape.optional || flag
            case "description":
                shape.note = value.string
            case "min", "max":
                guard let number = value.float else { throw invalid("'\(key)' must be a number", value, file) }
                switch shape.kind {
                case .integer, .number: break
                default: throw invalid("'\(key)' applies to integer and number fields", keyNode, file)
                }
                if key == "min" { shape.minimum = number } else { shape.maximum = number }
            case "min_length", "max_length":
                guard case .string = shape.kind else { throw invalid("'\(key)' applies to string fields", keyNode, file) }
                guard let count = value.int, count >= 0 else { throw invalid("'\(key)' must be a whole number", value, file) }
                if key == "min_length" { shape.minLength = count } else { shape.maxLength = count }
            case "min_items", "max_items":
                guard case .array = shape.kind else { throw invalid("'\(key)' applies to array fields", keyNode, file) }
                guard let count = value.int, count >= 0 else { throw invalid("'\(key)' must be a whole number", value, file) }
                if key == "min_items" { shape.minItems = count } else { shape.maxItems = count }
            case "items":
                guard case .array = shape.kind else { throw invalid("'items' applies to array fields", keyNode, file) }
                shape.kind = .array(try parse(value, file: file))
            case "fields":
                guard case .object = shape.kind, case .mapping(let fieldMapping) = value else {
                    throw invalid("'fields' applies to object fields and must be a mapping", keyNode, file)
                }
                shape.kind = .object(try parseFields(fieldMapping, file))
            case "enum":
                guard case .sequence(let sequence) = value, !sequence.isEmpty else {
                    throw invalid("'enum' must be a non-empty list of values", value, file)
                }
                var allowed: [Value] = []
                for item in sequence {
                    guard case .scalar(let scalar) = item else { throw invalid("an enum value must be a scalar", item, file) }
                    allowed.append(try enumValue(scalar.string, for: shape, item, file))
                }
                shape.allowed = allowed
            default:
                throw invalid("unknown option '\(key)'", keyNode, file)
            }
        }
        return shape
    }

    /// An enum entry as a value of the field's type (`enum: [1, 2]` on an integer field compares numbers).
    static func enumValue(_ text: String, for shape: DataShape, _ node: Node, _ file: String) throws(RenderError) -> Value {
        switch shape.kind {
        case .integer:
            guard let i = Int64(text) else { throw invalid("'\(text)' is not an integer", node, file) }
            return .integer(i)
        case .number:
            guard let d = Double(text) else { throw invalid("'\(text)' is not a number", node, file) }
            return .number(d)
        case .boolean:
            guard let b = Bool(text.lowercased()) else { throw invalid("'\(text)' is not true or false", node, file) }
            return .bool(b)
        case .string, .date, .dateTime, .time, .any:
            return .string(text)
        case .object, .array:
            throw invalid("'enum' applies to scalar fields", node, file)
        }
    }
}
