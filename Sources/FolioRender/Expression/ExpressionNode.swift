/// The parsed form of an expression. Offsets are in characters from the start of the expression source, so errors can
/// point at the operator or filter that failed.
indirect enum ExpressionNode: Sendable {
    case literal(Value)
    /// A name and the steps after it: `lines[0].quantity`.
    case path(root: String, steps: [PathStep])
    /// Steps applied to a computed value: `(a ?? b).name`.
    case postfix(ExpressionNode, steps: [PathStep])
    case negate(ExpressionNode, offset: Int)
    case not(ExpressionNode)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode, offset: Int)
    case and(ExpressionNode, ExpressionNode)
    case or(ExpressionNode, ExpressionNode)
    case coalesce(ExpressionNode, ExpressionNode)
    case conditional(ExpressionNode, ExpressionNode, ExpressionNode)
    case filter(FilterCall)

    var isFilter: Bool {
        if case .filter = self { return true }
        return false
    }
}

enum PathStep: Sendable {
    case key(String)
    case index(Int)
    /// `[expression]`; the offset is where the expression starts.
    case computed(ExpressionNode, offset: Int)
}

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

/// A filter resolved at parse time, with its arguments. Constant arguments are evaluated once, at parse time.
struct FilterCall: Sendable {
    let filter: Filter
    let input: ExpressionNode
    let arguments: [ExpressionNode]
    let constantArguments: FilterArguments?
    let offset: Int
}

extension ExpressionNode {
    /// Names read from the scope.
    func collectRoots(into roots: inout Set<String>) {
        switch self {
        case .literal: break
        case .path(let root, let steps):
            roots.insert(root)
            for case .computed(let node, _) in steps { node.collectRoots(into: &roots) }
        case .postfix(let base, let steps):
            base.collectRoots(into: &roots)
            for case .computed(let node, _) in steps { node.collectRoots(into: &roots) }
        case .negate(let node, _), .not(let node): node.collectRoots(into: &roots)
        case .binary(_, let l, let r, _), .and(let l, let r), .or(let l, let r), .coalesce(let l, let r):
            l.collectRoots(into: &roots)
            r.collectRoots(into: &roots)
        case .conditional(let c, let a, let b):
            c.collectRoots(into: &roots)
            a.collectRoots(into: &roots)
            b.collectRoots(into: &roots)
        case .filter(let call):
            call.input.collectRoots(into: &roots)
            for argument in call.arguments { argument.collectRoots(into: &roots) }
        }
    }
}
