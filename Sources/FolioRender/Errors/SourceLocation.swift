/// Where in a template file something was written, so an error can send its reader straight there.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The template file, relative to the templates folder when known.
    public var file: String
    /// 1-based line; 0 when unknown.
    public var line: Int
    /// 1-based column; 0 when unknown.
    public var column: Int

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The same file, a position further along the same line (for an expression inside a string).
    public func advanced(columns: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column == 0 ? 0 : column + columns)
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column)" : file
    }
}
