extension Expression {
    func evaluate(_ node: ExpressionNode, in scope: Scope) throws(RenderError) -> Value {
        switch node {
        case .literal(let value):
            return value
        case .path(let name, let steps):
            return try resolve(name, steps, in: scope) ?? .null
        case .postfix(let base, let steps):
            return try follow(steps, from: try evaluate(base, in: scope), in: scope) ?? .null
        case .negate(let operand, let offset):
            switch try evaluate(operand, in: scope) {
            case .integer(let i) where i != .min: return .integer(-i)
            case .number(let d): return .number(-d)
            case let other: throw error("cannot negate \(other.typeName) \(other.shortDescription)", at: offset)
            }
        case .not(let operand):
            return .bool(!(try evaluate(operand, in: scope).isTruthy))
        case .and(let left, let right):
            guard try evaluate(left, in: scope).isTruthy else { return .bool(false) }
            return .bool(try evaluate(right, in: scope).isTruthy)
        case .or(let left, let right):
            if try evaluate(left, in: scope).isTruthy { return .bool(true) }
            return .bool(try evaluate(right, in: scope).isTruthy)
        case .coalesce(let left, let right):
            let value = try evaluate(left, in: scope)
            if case .null = value { return try evaluate(right, in: scope) }
            return value
        case .conditional(let condition, let whenTrue, let whenFalse):
            return try evaluate(try evaluate(condition, in: scope).isTruthy ? whenTrue : whenFalse, in: scope)
        case .binary(let op, let leftNode, let rightNode, let offset):
            let left = try evaluate(leftNode, in: scope)
            let right = try evaluate(rightNode, in: scope)
            do throws(OperatorFailure) {
                return try op.apply(left, right)
            } catch {
                var message: String
                switch error {
                case .divisionByZero:
                    message = "division by zero"
                case .overflow:
                    message = "the result of \(left.plainText) \(op.rawValue) \(right.plainText) is too large for an integer"
                case .typeMismatch(let verb):
                    message = "cannot \(verb) \(left.typeName) \(left.shortDescription) and \(right.typeName) \(right.shortDescription)"
                    if leftNode.isFilter || rightNode.isFilter {
                        message += " (filters bind tighter than operators: put the arithmetic in parentheses, "
                            + "e.g. (a * b) | money)"
                    } else if case .null = left, case .path = leftNode {
                        message += " (a missing value is null; use ?? to give a default)"
                    } else if case .null = right, case .path = rightNode {
                        message += " (a missing value is null; use ?? to give a default)"
                    }
                }
                throw self.error(message, at: offset)
            }
        case .filter(let call):
            let input = try evaluate(call.input, in: scope)
            let arguments: FilterArguments
            if let constants = call.constantArguments {
                arguments = constants
            } else {
                var values: [Value] = []
                values.reserveCapacity(call.arguments.count)
                for argument in call.arguments { values.append(try evaluate(argument, in: scope)) }
                arguments = FilterArguments(values)
            }
            let context = FilterContext(format: scope.format, location: location.advanced(columns: call.offset),
                                        name: call.filter.name)
            return try call.filter.body(input, arguments, context)
        }
    }

    /// Resolves a path; nil when some step leads nowhere.
    func resolve(_ name: String, _ steps: [PathStep], in scope: Scope) throws(RenderError) -> Value? {
        if name == "loop", case .key(let key)? = steps.first, !scope.hasLocal("loop"), let loop = scope.currentLoop {
            guard let member = loop.member(key) else { return nil }
            return try follow(steps.dropFirst(), from: member, in: scope)
        }
        guard let base = scope.lookup(name) else { return nil }
        return try follow(steps[...], from: base, in: scope)
    }

    func follow(_ steps: some Collection<PathStep>, from base: Value, in scope: Scope) throws(RenderError) -> Value? {
        var current = base
        for step in steps {
            switch step {
            case .key(let key):
                guard case .object(let object) = current, let next = object[key] else { return nil }
                current = next
            case .index(let index):
                guard case .array(let array) = current, let next = Self.element(array, index) else { return nil }
                current = next
            case .computed(let node, let offset):
                switch try evaluate(node, in: scope) {
                case .string(let key):
                    guard case .object(let object) = current, let next = object[key] else { return nil }
                    current = next
                case .integer(let index):
                    guard case .array(let array) = current, let next = Self.element(array, Int(index)) else { return nil }
                    current = next
                case .null:
                    return nil
                case let other:
                    throw error("an index must be an integer or a string, found \(other.typeName) \(other.shortDescription)",
                                at: offset)
                }
            }
        }
        return current
    }

    /// `array[index]`, counting from the end for negative indices.
    static func element(_ array: [Value], _ index: Int) -> Value? {
        let i = index < 0 ? array.count + index : index
        return array.indices.contains(i) ? array[i] : nil
    }

    func error(_ message: String, at offset: Int) -> RenderError {
        RenderError(.evaluation, "\(message) in '\(source)'", location: location.advanced(columns: offset))
    }
}

extension Scope {
    func hasLocal(_ name: String) -> Bool {
        var node = locals
        while let binding = node {
            if binding.name == name { return true }
            node = binding.parent
        }
        return false
    }
}
