/// Every failure of the render engine, with a code a caller can branch on and the place a person must look.
///
/// A `RenderError` names either a template location (file, line, column) or a data path (`$.lines[3].quantity`), or both,
/// so that the author of a template and the sender of the data each know whose mistake it is.
public struct RenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable, extensible error codes. Callers switch on these; messages are for people.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The template file is not valid YAML.
        public static let templateSyntax = Code(rawValue: "template_syntax")
        /// The YAML is valid but does not describe a template (unknown key, wrong type, bad unit…).
        public static let templateInvalid = Code(rawValue: "template_invalid")
        /// No template of that name.
        public static let templateNotFound = Code(rawValue: "template_not_found")
        /// An `{{ expression }}` does not parse.
        public static let expressionSyntax = Code(rawValue: "expression_syntax")
        /// A filter name nobody registered.
        public static let unknownFilter = Code(rawValue: "unknown_filter")
        /// An expression met a value of the wrong type, divided by zero, and so on.
        public static let evaluation = Code(rawValue: "evaluation_failed")
        /// The request's data does not fit the template's declared data shape.
        public static let dataInvalid = Code(rawValue: "data_invalid")
        /// The data is not JSON, or is nested or sized beyond the limits.
        public static let dataMalformed = Code(rawValue: "data_malformed")
        /// An image that cannot be decoded, is too large, or is missing.
        public static let imageInvalid = Code(rawValue: "image_invalid")
        /// A barcode whose content its symbology cannot encode.
        public static let barcodeInvalid = Code(rawValue: "barcode_invalid")
        /// The document would exceed the page limit.
        public static let pageLimit = Code(rawValue: "page_limit_exceeded")
        /// Rendering took longer than the render-time limit.
        public static let timeLimit = Code(rawValue: "render_time_exceeded")
        /// A font could not be loaded or registered.
        public static let font = Code(rawValue: "font_error")
        /// Cairo or Pango reported a failure.
        public static let backend = Code(rawValue: "backend_error")
    }

    /// One problem among several (data validation lists them all at once).
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// JSON path of the offending value, `$` for the root; nil when the problem is in the template.
        public var path: String?
        public var location: SourceLocation?
        public var message: String

        public init(path: String? = nil, location: SourceLocation? = nil, message: String) {
            self.path = path
            self.location = location
            self.message = message
        }

        public var description: String {
            var prefix = ""
            if let location { prefix += "\(location): " }
            if let path { prefix += "\(path): " }
            return prefix + message
        }
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?
    public var path: String?
    /// Further problems of the same kind, when there is more than one.
    public var problems: [Problem]

    public init(_ code: Code, _ message: String, location: SourceLocation? = nil, path: String? = nil,
                problems: [Problem] = []) {
        self.code = code
        self.message = message
        self.location = location
        self.path = path
        self.problems = problems
    }

    public var description: String {
        var text = "\(code): "
        if let location { text += "\(location): " }
        if let path { text += "\(path): " }
        text += message
        for problem in problems { text += "\n  - \(problem)" }
        return text
    }
}
