/// A `{{ expression }}` parsed once, at template load, and evaluated against many scopes.
///
/// Parsing resolves every filter, so an unknown filter or a syntax error is found when the template loads, with the
/// column of the mistake. Evaluation walks a small tree, allocates only for results that need it (strings, arrays),
/// and is safe to run from many threads at once.
///
/// Semantics in short: a path that does not exist is null; integers stay integers under `+ - *` and exact `/`
/// (money in minor units stays exact), overflow and division by zero are errors; `and`/`or` short-circuit and give
/// booleans; `a ?? b` is `b` when `a` is null; comparing values of different types (other than integer with number)
/// is an error naming both types.
public struct Expression: Sendable, CustomStringConvertible {
    /// The source text, without the braces.
    public let source: String
    /// Where the source starts in the template.
    public let location: SourceLocation
    let root: ExpressionNode

    /// Parses `source`.
    /// - Throws: `.expressionSyntax` or `.unknownFilter`, located at the offending character.
    public init(parsing source: String, location: SourceLocation,
                filters: FilterRegistry = .standard) throws(RenderError) {
        self.source = source
        self.location = location
        var lexer = ExpressionLexer(source)
        let failure: ExpressionSyntaxFailure
        switch lexer.tokenize() {
        case .success(let tokens):
            var parser = ExpressionParser(tokens: tokens, filters: filters)
            do throws(ExpressionSyntaxFailure) {
                root = try parser.parseAll()
                return
            } catch {
                failure = error
            }
        case .failure(let error):
            failure = error
        }
        throw RenderError(failure.isUnknownFilter ? .unknownFilter : .expressionSyntax,
                          "\(failure.message) in '\(source)'", location: location.advanced(columns: failure.offset))
    }

    /// The top-level names the expression reads (`invoice`, `line`, `loop`, `page`…), whatever binds them.
    public var referencedRoots: Set<String> {
        var roots = Set<String>()
        root.collectRoots(into: &roots)
        return roots
    }

    /// Whether the expression reads `page` or `pages`, so its value is known only after pagination.
    public var usesPageNumbers: Bool {
        let roots = referencedRoots
        return roots.contains("page") || roots.contains("pages")
    }

    /// The value when the expression is a literal (`'x'`, `-2`, `true`), else nil.
    public var constantValue: Value? {
        if case .literal(let value) = root { return value }
        return nil
    }

    /// Whether the whole expression is one path (`invoice.due_date`), the kind whose absence can be asked about.
    public var isPath: Bool {
        if case .path = root { return true }
        return false
    }

    /// Evaluates the expression. A missing path is null.
    /// - Throws: `.evaluation`, located at the operator or filter that failed.
    public func evaluate(in scope: Scope) throws(RenderError) -> Value {
        try evaluate(root, in: scope)
    }

    /// Like ``evaluate(in:)``, but nil when the expression is a path (``isPath``) that leads nowhere, as opposed to
    /// one that holds null. For any other expression, the value.
    public func evaluateIfPresent(in scope: Scope) throws(RenderError) -> Value? {
        if case .path(let name, let steps) = root { return try resolve(name, steps, in: scope) }
        return try evaluate(root, in: scope)
    }

    public var description: String { "{{ \(source) }}" }
}
