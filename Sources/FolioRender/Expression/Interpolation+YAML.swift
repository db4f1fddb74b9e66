import Yams

extension Interpolation {
    /// Where the text of a YAML scalar starts, for ``init(parsing:location:filters:)``: a scalar's mark is where it
    /// is written, which for a quoted scalar is its opening quote and for a block scalar (`|`, `>`) the indicator.
    ///
    /// Exact for plain scalars and for quoted ones on one line without escapes; for block scalars the line is that
    /// of the first content line and the column unknown (0).
    public static func contentLocation(of node: Node, file: String) -> SourceLocation {
        let line = node.mark?.line ?? 0
        let column = node.mark?.column ?? 0
        guard case .scalar(let scalar) = node else { return SourceLocation(file: file, line: line, column: column) }
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            return SourceLocation(file: file, line: line, column: column == 0 ? 0 : column + 1)
        case .literal, .folded:
            return SourceLocation(file: file, line: line == 0 ? 0 : line + 1, column: 0)
        default:
            return SourceLocation(file: file, line: line, column: column)
        }
    }

    /// Parses the text of a YAML scalar, with error locations counted from where its text starts.
    public init(scalar node: Node, file: String, filters: FilterRegistry = .standard) throws(RenderError) {
        try self.init(parsing: node.string ?? "", location: Interpolation.contentLocation(of: node, file: file),
                      filters: filters)
    }
}
