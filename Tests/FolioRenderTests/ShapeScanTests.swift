import Foundation
import Testing

@testable import FolioRender

/// The accept path's scan of data against a shape (`ShapeScanPlan.fits`) may say "fits" only when parsing and
/// validating would find no problem; and for real documents it must say so, or the scan is wasted work.
@Suite("Data shape scan") struct ShapeScanTests {
    static let library = TemplateLibrary(directory: Repository.templates)

    /// The slow path's verdict: parses and has no shape problems.
    static func ordinaryVerdict(_ json: [UInt8], _ shape: DataShape, limits: DataLimits) -> Bool {
        guard let value = try? Value.parse(json: json, limits: limits) else { return false }
        return shape.problems(in: value).isEmpty
    }

    static func scanVerdict(_ json: [UInt8], _ shape: DataShape, limits: DataLimits) -> Bool {
        // The scan sees only the value's own bytes; leading and trailing whitespace belong to the document around it.
        var start = 0, end = json.count
        while start < end, [0x20, 0x0A, 0x0D, 0x09].contains(json[start]) { start += 1 }
        while end > start, [0x20, 0x0A, 0x0D, 0x09].contains(json[end - 1]) { end -= 1 }
        return ShapeScanPlan(shape).fits(json: json, range: start..<end, limits: limits)
    }

    @Test("every shipped template's sample fits, by the scan as by parsing")
    func samplesFit() throws {
        for name in Self.library.names {
            let template = try Self.library.template(named: name)
            guard let shape = template.dataShape, let sample = template.sample else { continue }
            let bytes = sample.jsonBytes()
            #expect(Self.ordinaryVerdict(bytes, shape, limits: DataLimits()), "\(name): sample fits")
            #expect(Self.scanVerdict(bytes, shape, limits: DataLimits()), "\(name): the scan agrees")
        }
    }

    @Test("mutated samples: the scan never says fits when parsing and validating would not")
    func neverLaxer() throws {
        var generator = SystemRandomNumberGenerator()
        var compared = 0, misfits = 0
        for name in Self.library.names {
            let template = try Self.library.template(named: name)
            guard let shape = template.dataShape, let sample = template.sample else { continue }
            for _ in 0..<300 {
                var text = sample.jsonBytes(pretty: Bool.random(using: &generator))
                text = Self.mutate(text, using: &generator)
                let limits = Bool.random(using: &generator) ? DataLimits() : DataLimits(maxDepth: 4, maxStringBytes: 40, maxCollectionCount: 5)
                let ordinary = Self.ordinaryVerdict(text, shape, limits: limits)
                let scan = Self.scanVerdict(text, shape, limits: limits)
                if scan { #expect(ordinary, "\(name): the scan said fits for \(String(decoding: text, as: UTF8.self))") }
                // As the service does it: the data located inside a request body by structure, then read strictly.
                let body = Array(#"{"template": "t", "data": "#.utf8) + text + Array(#", "format": "pdf"}"#.utf8)
                if let located = Value.parseSkippingMember("data", json: body, limits: limits), let range = located.skippedRange,
                   ShapeScanPlan(shape).fits(json: body, range: range, limits: limits, depth: 1) {
                    let whole = try? Value.parse(json: body, limits: limits)
                    #expect(whole.map { shape.problems(in: $0["data"] ?? .null).isEmpty } == true,
                            "\(name): the service's path said fits for \(String(decoding: text, as: UTF8.self))")
                }
                compared += 1
                if !ordinary { misfits += 1 }
            }
        }
        #expect(compared > 1_000 && misfits > compared / 4, "the mutations exercise both verdicts (\(misfits) of \(compared))")
    }

    @Test("documents the strict parser refuses are never said to fit",
          arguments: [#"{"a": 1,}"#, #"{"a": 1 "b": 2}"#, #"{"a": 01}"#, #"{"a": "x\u0001"}"#, #"{"a": 1, "a": 2}"#,
                      #"{"a": [1, 2,]}"#, #"{"a": tru}"#, #"{"a": NaN}"#, #"{"a": "\ud800"}"#, #"{"a": 1e999}"#,
                      #"[1]"#, #"{"a": {"b": {"c": {"d": {"e": 1}}}}}"#])
    func strict(_ text: String) {
        let bytes = Array(text.utf8)
        let limits = DataLimits(maxDepth: 4)
        let parses = (try? Value.parse(json: bytes, limits: limits)) != nil
        #expect(Self.scanVerdict(bytes, .any, limits: limits) == parses)
        #expect(!Self.scanVerdict(bytes, DataShape(kind: .object(nil)), limits: limits) || parses)
    }

    @Test("a request body without its data: members kept, data located, then read strictly; duplicates refused")
    func skippingData() throws {
        let body = Array(#"{"template": "invoice", "data": {"a": [1, {"b": null}]}, "format": "pdf"}"#.utf8)
        let parsed = try #require(Value.parseSkippingMember("data", json: body))
        #expect(parsed.value["template"] == .string("invoice") && parsed.value["format"] == .string("pdf"))
        #expect(parsed.value["data"] == nil)
        #expect(parsed.skippedRange.map { String(decoding: body[$0], as: UTF8.self) } == #"{"a": [1, {"b": null}]}"#)
        #expect(Value.parseSkippingMember("data", json: Array(#"{"data": {}, "data": {}}"#.utf8)) == nil)
        // Located by structure alone; the strict read of the range refuses what the parser refuses.
        for text in [#"{"data": {"x": 1, "x": 2}}"#, #"{"data": {"x": tru}}"#, #"{"data": {"x": [1}]}"#, #"{"data": {"x": 01}}"#] {
            let bytes = Array(text.utf8)
            if let located = Value.parseSkippingMember("data", json: bytes), let range = located.skippedRange {
                #expect(!ShapeScanPlan.anything.fits(json: bytes, range: range, depth: 1), "\(text)")
            }
        }
        #expect(Value.parseSkippingMember("data", json: Array(#"{"data": {}} x"#.utf8)) == nil)
        #expect(Value.parseSkippingMember("data", json: Array(#"["data"]"#.utf8)) == nil)
    }

    /// One random edit of the kind clients get wrong: a value of another type, a field removed, a number out of
    /// range, a string made long or not a date, an extra member, a duplicated member, broken syntax.
    static func mutate(_ text: [UInt8], using g: inout SystemRandomNumberGenerator) -> [UInt8] {
        var s = String(decoding: text, as: UTF8.self)
        let edits: [(inout String, inout SystemRandomNumberGenerator) -> Void] = [
            { s, g in replaceRandom(&s, of: #""[^"]*": "[^"]*""#, using: &g) { m in m.replacingOccurrences(of: #": ""#, with: ": 12, \"_was\": \"") } },
            { s, g in replaceRandom(&s, of: #": -?[0-9]+(\.[0-9]+)?"#, using: &g) { _ in ": \"7\"" } },
            { s, g in replaceRandom(&s, of: #": -?[0-9]+(\.[0-9]+)?"#, using: &g) { _ in ": 1e12" } },
            { s, g in replaceRandom(&s, of: #": -?[0-9]+(\.[0-9]+)?"#, using: &g) { _ in ": -1" } },
            { s, g in replaceRandom(&s, of: #""[^"]*": (\{\}|\[\]|"[^"]*"|-?[0-9.]+|true|false|null),?"#, using: &g) { _ in "" } },
            { s, g in replaceRandom(&s, of: #": "[0-9]{4}-[0-9]{2}-[0-9]{2}"#, using: &g) { _ in ": \"2024-13-45\"" } },
            { s, g in replaceRandom(&s, of: #": "[^"]*""#, using: &g) { _ in ": \"" + String(repeating: "x", count: 300) + "\"" } },
            { s, g in replaceRandom(&s, of: #": (true|false)"#, using: &g) { _ in ": null" } },
            { s, g in replaceRandom(&s, of: #"\[[^\[\]]*\]"#, using: &g) { _ in "[]" } },
            { s, g in replaceRandom(&s, of: #"\{"#, using: &g) { _ in "{\"dup\": 1, \"dup\": 2, " } },
            { s, g in replaceRandom(&s, of: #","#, using: &g) { _ in ",," } },
            { s, g in replaceRandom(&s, of: #": \{"#, using: &g) { _ in ": [" } },
            { s, g in replaceRandom(&s, of: #": "[^"]*""#, using: &g) { m in m.replacingOccurrences(of: "\"", with: "'") } },
            { _, _ in },
        ]
        edits.randomElement(using: &g)!(&s, &g)
        if Bool.random(using: &g) { edits.randomElement(using: &g)!(&s, &g) }
        return Array(s.utf8)
    }

    static func replaceRandom(_ s: inout String, of pattern: String, using g: inout SystemRandomNumberGenerator,
                              _ with: (String) -> String) {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return }
        let matches = regex.matches(in: s, range: NSRange(s.startIndex..., in: s))
        guard let m = matches.randomElement(using: &g), let r = Range(m.range, in: s) else { return }
        s.replaceSubrange(r, with: with(String(s[r])))
    }
}
