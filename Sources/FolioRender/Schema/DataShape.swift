/// The shape of the data a template needs, declared in its `data:` section, checked before rendering.
///
/// Written for the people who write invoices:
///
/// ```yaml
/// data:
///   invoice:
///     number: string
///     issue_date: date             # YYYY-MM-DD
///     due_date: date?              # ? = may be missing or null
///   lines:                         # an array: a one-element sequence gives the item shape
///     - description: string
///       quantity: number
///       line_gross_minor: integer
///   address_lines: [string]        # an array of strings
///   status: {type: string, enum: [draft, issued, paid]}
///   notes?: {type: array, items: string, max_items: 50}   # ? on the key works too
///   customer: object               # any object, contents unchecked
///   extra: any
/// ```
///
/// Types: `string`, `integer`, `number` (integer or decimal), `boolean`, `date` (`YYYY-MM-DD`), `datetime` (ISO 8601
/// with an offset), `time` (`HH:MM[:SS]`), `object`, `array`, `any`. The long form `{type: …}` adds `optional`,
/// `enum`, `min`, `max`, `min_length`, `max_length`, `min_items`, `max_items`, `items` (arrays), `fields` (objects) and
/// `description`. Keys the shape does not mention are allowed in the data. A field is required and non-null unless
/// marked optional.
///
/// A mapping is read as the long form only when it has a `type` key and every key is an option name; so a
/// field called `type` next to other fields (`{number: string, type: string}`) is just a field. To declare an object
/// whose only field is named `type`, write `{type: object, fields: {type: string}}`.
public struct DataShape: Sendable {
    indirect enum Kind: Sendable {
        case any, string, integer, number, boolean, date, dateTime, time
        /// nil fields: any object.
        case object([Field]?)
        /// nil items: any elements.
        case array(DataShape?)
    }

    struct Field: Sendable {
        var name: String
        var shape: DataShape
    }

    var kind: Kind
    /// May be missing or null.
    var optional = false
    var allowed: [Value]?
    var minimum: Double?
    var maximum: Double?
    var minLength: Int?
    var maxLength: Int?
    var minItems: Int?
    var maxItems: Int?
    var note: String?
    /// Where the shape is declared.
    public internal(set) var location: SourceLocation?

    init(kind: Kind, location: SourceLocation? = nil) {
        self.kind = kind
        self.location = location
    }

    /// A shape that accepts anything (a template that declares no `data:`).
    public static var any: DataShape { DataShape(kind: .any) }

    /// The names of the top-level fields, in declaration order (empty unless the shape is an object with fields).
    public var fieldNames: [String] {
        if case .object(let fields?) = kind { return fields.map(\.name) }
        return []
    }

    /// The shape of one top-level field.
    public func field(_ name: String) -> DataShape? {
        if case .object(let fields?) = kind { return fields.first { $0.name == name }?.shape }
        return nil
    }

    /// Whether the value may be missing or null.
    public var isOptional: Bool { optional }

    static let typeNames: [String: Kind] = [
        "any": .any, "string": .string, "text": .string, "integer": .integer, "int": .integer, "number": .number,
        "boolean": .boolean, "bool": .boolean, "date": .date, "datetime": .dateTime, "time": .time,
        "object": .object(nil), "array": .array(nil), "list": .array(nil),
    ]

    var typeName: String {
        switch kind {
        case .any: "any"
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .date: "date"
        case .dateTime: "datetime"
        case .time: "time"
        case .object: "object"
        case .array: "array"
        }
    }
}
