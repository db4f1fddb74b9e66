import Foundation
import Yams

/// A YAML node of a template file with the file's name, so every reading mistake can say where it is.
struct TemplateNode {
    let node: Node
    let file: String

    var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    /// Where a scalar's text starts (after its quote), so errors inside `{{ }}` point at the right column.
    var textLocation: SourceLocation { Interpolation.contentLocation(of: node, file: file) }

    func error(_ message: String, code: RenderError.Code = .templateInvalid) -> RenderError {
        RenderError(code, message, location: location)
    }

    var isScalar: Bool { if case .scalar = node { true } else { false } }
    var isMapping: Bool { if case .mapping = node { true } else { false } }
    var isSequence: Bool { if case .sequence = node { true } else { false } }

    /// The scalar's text, or nil when the node is a null scalar (`~`, `null`, empty).
    var scalarText: String? {
        guard case .scalar(let scalar) = node else { return nil }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
        return scalar.string
    }

    func string(_ what: String) throws(RenderError) -> String {
        guard case .scalar(let scalar) = node else { throw error("\(what) must be a text value, found \(kind)") }
        return scalar.string
    }

    func bool(_ what: String) throws(RenderError) -> Bool {
        switch try string(what).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("\(what) must be true or false")
        }
    }

    func number(_ what: String) throws(RenderError) -> Double {
        guard let value = Double(try string(what)), value.isFinite else { throw error("\(what) must be a number") }
        return value
    }

    func integer(_ what: String) throws(RenderError) -> Int {
        guard let value = Int(try string(what)) else { throw error("\(what) must be a whole number") }
        return value
    }

    func length(_ what: String) throws(RenderError) -> Double {
        let text = try string(what)
        guard let length = Length(parsing: text) else {
            throw error("\(what) '\(text)' is not a length; write it like 12mm, 10pt, 0.5in or 2cm")
        }
        return length.points
    }

    func sequence(_ what: String) throws(RenderError) -> [TemplateNode] {
        guard case .sequence(let sequence) = node else { throw error("\(what) must be a list, found \(kind)") }
        return sequence.map { TemplateNode(node: $0, file: file) }
    }

    /// A list, or a single item treated as a list of one.
    func items() -> [TemplateNode] {
        if case .sequence(let sequence) = node { return sequence.map { TemplateNode(node: $0, file: file) } }
        return [self]
    }

    func mapping(_ what: String) throws(RenderError) -> TemplateMapping {
        guard case .mapping(let mapping) = node else { throw error("\(what) must be a mapping of keys, found \(kind)") }
        var pairs: [(String, TemplateNode, TemplateNode)] = []
        for (key, value) in mapping {
            pairs.append((key.string ?? "", TemplateNode(node: key, file: file), TemplateNode(node: value, file: file)))
        }
        return TemplateMapping(pairs: pairs, owner: self, what: what)
    }

    var kind: String {
        switch node {
        case .scalar: "a text value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// A mapping being read key by key; `finish()` reports every key nobody asked for, so typos never pass silently.
final class TemplateMapping {
    private let pairs: [(key: String, keyNode: TemplateNode, value: TemplateNode)]
    private var used: Set<String> = []
    let owner: TemplateNode
    let what: String

    init(pairs: [(String, TemplateNode, TemplateNode)], owner: TemplateNode, what: String) {
        self.pairs = pairs.map { (key: $0.0, keyNode: $0.1, value: $0.2) }
        self.owner = owner
        self.what = what
    }

    var keys: [String] { pairs.map(\.key) }

    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    subscript(key: String) -> TemplateNode? {
        guard let pair = pairs.first(where: { $0.key == key }) else { return nil }
        used.insert(key)
        if pair.value.scalarText == nil && pair.value.isScalar { return nil }
        return pair.value
    }

    func require(_ key: String) throws(RenderError) -> TemplateNode {
        guard let node = self[key] else { throw owner.error("\(what) needs '\(key)'") }
        return node
    }

    /// Marks keys as read without reading them (handled elsewhere).
    func accept(_ keys: [String]) { used.formUnion(keys) }

    /// Throws for the first key that was never read, with a suggestion when one is close.
    func finish(allowed extra: [String] = []) throws(RenderError) {
        for pair in pairs where !used.contains(pair.key) && !extra.contains(pair.key) {
            let known = Array(used) + extra
            if ElementReader.commonKeys.contains(pair.key) && ElementReader.kinds.contains(what) {
                throw pair.keyNode.error("'\(pair.key)' belongs to the element, beside '\(what):', not inside it")
            }
            var message = "unknown key '\(pair.key)' in \(what)"
            if let suggestion = closestMatch(to: pair.key, among: known + TemplateMapping.vocabulary), suggestion != pair.key {
                message += "; did you mean '\(suggestion)'?"
            }
            throw pair.keyNode.error(message)
        }
    }

    /// Every key the template language knows, for suggestions on typos.
    static let vocabulary: [String] = TemplateVocabulary.keys
}

/// The candidate within edit distance 2 of `word`, if any.
func closestMatch(to word: String, among candidates: [String]) -> String? {
    var best: (String, Int)?
    for candidate in Set(candidates) {
        let distance = editDistance(word.lowercased(), candidate.lowercased())
        if distance <= 2, distance < (best?.1 ?? .max) { best = (candidate, distance) }
    }
    return best?.0
}
