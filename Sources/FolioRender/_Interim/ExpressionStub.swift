// INTERIM: replaced by the expression layer (branch `expr`) at merge. Only paths and literals, no filters.
public struct FormatContext: Sendable {
    public var locale: String = "en-GB"
    public var timeZone: String = "UTC"
    public var currency: String? = nil
    public var currencyMinorUnit: Int? = nil
    public init() {}
}

public struct Scope: Sendable {
    public var data: Value
    public var locals: [(String, Value)] = []
    public var page: Int? = nil
    public var pages: Int? = nil
    public var format = FormatContext()
    public init(data: Value) { self.data = data }
    public func with(_ name: String, _ value: Value) -> Scope { var s = self; s.locals.append((name, value)); return s }
    func lookup(_ name: String) -> Value {
        if name == "page", let page { return .integer(Int64(page)) }
        if name == "pages", let pages { return .integer(Int64(pages)) }
        for (n, v) in locals.reversed() where n == name { return v }
        return data[name] ?? .null
    }
}

public struct Expression: Sendable {
    let source: String
    let location: SourceLocation
    public init(parsing source: String, location: SourceLocation) throws(RenderError) {
        self.source = source.trimmingCharacters(in: .whitespaces)
        self.location = location
    }
    public var referencedRoots: Set<String> { [String(source.prefix { $0 != "." && $0 != "[" && $0 != " " })] }
    public func evaluate(in scope: Scope) throws(RenderError) -> Value {
        let s = source.split(separator: "|")[0].trimmingCharacters(in: .whitespaces)
        if let i = Int64(s) { return .integer(i) }
        if s.hasPrefix("'") { return .string(String(s.dropFirst().dropLast())) }
        if s == "true" { return .bool(true) }
        if s == "false" { return .bool(false) }
        var parts = s.split(separator: ".").map(String.init)
        guard !parts.isEmpty else { return .null }
        var value = scope.lookup(parts.removeFirst())
        for p in parts { value = value[p] ?? .null }
        return value
    }
}

public struct Interpolation: Sendable {
    public enum Part: Sendable { case literal(String), expression(Expression) }
    public let parts: [Part]
    public init(parsing text: String, location: SourceLocation) throws(RenderError) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw RenderError(.expressionSyntax, "unclosed {{", location: location)
            }
            parts.append(.expression(try Expression(parsing: String(rest[open.upperBound..<close.lowerBound]), location: location)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
    }
    public var isConstant: Bool { parts.allSatisfy { if case .literal = $0 { true } else { false } } }
    public var usesPageNumbers: Bool {
        parts.contains { if case .expression(let e) = $0 { !e.referencedRoots.isDisjoint(with: ["page", "pages"]) } else { false } }
    }
    public func render(in scope: Scope) throws(RenderError) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .expression(let e): out += try e.evaluate(in: scope).plainText
            }
        }
        return out
    }
}

extension Value {
    var plainText: String {
        switch self {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .integer(let i): String(i)
        case .number(let d): String(d)
        case .string(let s): s
        case .array, .object: "…"
        }
    }
}
import Foundation

import Yams
// INTERIM: replaced by Schema/DataShape from branch `expr`.
public struct DataShape: Sendable {
    public static func parse(node: Node, file: String) throws(RenderError) -> DataShape { DataShape() }
    public func validate(_ value: Value) -> [RenderError.Problem] { [] }
    public func describe() -> String { "" }
}
extension Value {
    public static func parse(json: [UInt8]) throws(RenderError) -> Value {
        do { return try convert(JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])) }
        catch { throw RenderError(.dataMalformed, "\(error)") }
    }
    static func convert(_ any: Any) -> Value {
        switch any {
        case let s as String: return .string(s)
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }
            if let i = Int64(exactly: n.doubleValue), !"\(n)".contains(".") { return .integer(i) }
            return .number(n.doubleValue)
        case let a as [Any]: return .array(a.map(convert))
        case let d as [String: Any]: return .object(ValueObject(d.keys.sorted().map { ($0, convert(d[$0]!)) }))
        default: return .null
        }
    }
}
extension Value { public func jsonText(pretty: Bool) -> String { "\(self)" } }
