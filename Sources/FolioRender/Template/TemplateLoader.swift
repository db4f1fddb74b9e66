import Foundation
import Yams

/// Reads a template folder (`template.yaml`, `sample.json`, assets) into a `Template`, or says precisely what is wrong.
public enum TemplateLoader {
    static let topLevelKeys = ["title", "description", "version", "page", "locale", "timezone", "currency",
                               "currency_minor_unit", "optical_decimals", "plano", "metadata", "styles", "data", "let", "header", "footer", "first_page",
                               "watermark", "body"]

    /// Largest template file we read; a template is a design, not a data dump.
    public static let maxTemplateBytes = 1 << 20
    /// Deepest YAML nesting we read (about 60 levels of elements inside elements), well inside every thread's stack.
    public static let maxNesting = 192

    /// Loads `directory/template.yaml`. The template's name is the folder's name.
    public static func load(directory: String) throws(RenderError) -> Template {
        let url = URL(fileURLWithPath: directory)
        let name = url.lastPathComponent
        let path = url.appendingPathComponent("template.yaml").path
        let displayName = "\(name)/template.yaml"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RenderError(.templateNotFound, "no template.yaml in \(directory)")
        }
        guard data.count <= maxTemplateBytes else {
            throw RenderError(.templateInvalid, "template.yaml is \(data.count) bytes; the limit is \(maxTemplateBytes)",
                              location: SourceLocation(file: displayName))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RenderError(.templateSyntax, "template.yaml is not UTF-8 text", location: SourceLocation(file: displayName))
        }
        var template = try parse(yaml: text, name: name, file: displayName, directory: url.path)
        let samplePath = url.appendingPathComponent("sample.json").path
        if let sample = FileManager.default.contents(atPath: samplePath) {
            do {
                template.sample = try Value.parse(json: [UInt8](sample))
            } catch {
                var error = error
                error.message = "sample.json: " + error.message
                throw error
            }
        }
        return template
    }

    /// Parses template YAML. `file` is the name errors use.
    public static func parse(yaml: String, name: String, file: String, directory: String) throws(RenderError) -> Template {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw RenderError(.templateInvalid, "the template is empty", location: SourceLocation(file: file))
            }
            root = node
        } catch let error as RenderError {
            throw error
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        } catch {
            throw RenderError(.templateSyntax, "\(error)", location: SourceLocation(file: file))
        }
        try checkNesting(root, file: file)
        let top = try TemplateNode(node: root, file: file).mapping("the template")

        var declarations: [String: (StyleDeclaration, TemplateNode)] = [:]
        if let stylesNode = top["styles"] {
            let styles = try stylesNode.mapping("styles")
            for key in styles.keys {
                let node = try styles.require(key)
                let map = try node.mapping("style '\(key)'")
                declarations[key] = (try StyleDeclaration.read(from: map) ?? StyleDeclaration(), node)
                try map.finish()
            }
        }
        let sheet = try StyleSheet(declarations: declarations)
        let reader = ElementReader(styles: sheet)
        let base = sheet.base

        let page = try pageSpec(top["page"], file: file)
        var template = Template(
            name: name,
            title: try top["title"]?.string("title") ?? name,
            description: try top["description"]?.string("description"),
            version: try top["version"]?.string("version") ?? "1",
            directory: directory, file: file,
            page: page,
            format: FormatSpec(locale: try interpolation(top["locale"]), timeZone: try interpolation(top["timezone"]),
                               currency: try interpolation(top["currency"]),
                               currencyMinorUnit: try interpolation(top["currency_minor_unit"])),
            metadata: try metadata(top["metadata"]),
            styles: sheet,
            dataShape: try top["data"].map { (n: TemplateNode) throws(RenderError) in try DataShape(node: n.node, file: file) },
            header: try top["header"].map { (n: TemplateNode) throws(RenderError) in try reader.elements(n, inherited: base) } ?? [],
            footer: try top["footer"].map { (n: TemplateNode) throws(RenderError) in try reader.elements(n, inherited: base) } ?? [],
            firstPage: nil, watermark: nil,
            body: try reader.elements(try top.require("body"), inherited: base),
            sample: nil)
        if let n = top["first_page"] {
            let map = try n.mapping("first_page")
            template.firstPage = PageVariant(
                header: try map["header"].map { (n: TemplateNode) throws(RenderError) in try reader.elements(n, inherited: base) },
                footer: try map["footer"].map { (n: TemplateNode) throws(RenderError) in try reader.elements(n, inherited: base) },
                margins: try (map["margins"] ?? map["margin"])?.insets("margins"))
            try map.finish()
        }
        if let n = top["watermark"] { template.watermark = try watermark(n) }
        if let n = top["optical_decimals"] {
            let text = try n.string("optical_decimals")
            guard ["data", "locale"].contains(text) else {
                throw n.error("optical_decimals is 'data' (always -2.25) or 'locale' (-2,25 where the locale writes so)")
            }
            template.format.localizeOpticalDecimals = text == "locale"
        }
        if let n = top["plano"] { template.format.planoText = try n.string("plano") }
        if let n = top["let"] {
            let map = try n.mapping("let")
            for name in map.keys {
                let value = try map.require(name)
                guard name.first?.isLetter == true, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw value.error("'\(name)' is not a name for a value; use letters, digits and _")
                }
                template.lets.append((name, try Expression(parsing: try value.string(name), location: value.textLocation)))
            }
            try map.finish()
        }
        try top.finish()
        return template
    }

    private static func interpolation(_ node: TemplateNode?) throws(RenderError) -> Interpolation? {
        guard let node else { return nil }
        return try Interpolation(parsing: try node.string(node.kind), location: node.textLocation)
    }

    private static func pageSpec(_ node: TemplateNode?, file: String) throws(RenderError) -> PageSpec {
        var spec = PageSpec(size: try Interpolation(parsing: "A4", location: SourceLocation(file: file)), sizeText: "A4",
                            orientation: nil, margins: Insets(all: Length.mm(15).points),
                            headerGap: Length.mm(4).points, footerGap: Length.mm(4).points)
        guard let node else { return spec }
        let map = try node.mapping("page")
        if let n = map["size"] {
            let text = try n.string("size")
            spec.size = try Interpolation(parsing: text, location: n.textLocation)
            spec.sizeText = text
            if spec.size.isConstant, PageSize(parsing: text) == nil {
                throw n.error("page size '\(text)' is not known; use A4, A5, Letter, half-letter, 80mm-roll, 58mm-roll, "
                              + "a label size or WIDTHxHEIGHT like 100mmx50mm")
            }
        }
        if let n = map["orientation"] { spec.orientation = try Interpolation(parsing: try n.string("orientation"), location: n.textLocation) }
        if let n = map["margins"] ?? map["margin"] { spec.margins = try n.insets("margins") }
        if let n = map["header_gap"] { spec.headerGap = try n.length("header_gap") }
        if let n = map["footer_gap"] { spec.footerGap = try n.length("footer_gap") }
        try map.finish()
        return spec
    }

    private static func metadata(_ node: TemplateNode?) throws(RenderError) -> MetadataSpec {
        var spec = MetadataSpec()
        guard let node else { return spec }
        let map = try node.mapping("metadata")
        spec.title = try interpolation(map["title"])
        spec.author = try interpolation(map["author"])
        spec.subject = try interpolation(map["subject"])
        spec.keywords = try interpolation(map["keywords"])
        spec.creator = try interpolation(map["creator"])
        spec.created = try interpolation(map["created"])
        try map.finish()
        return spec
    }

    private static func watermark(_ node: TemplateNode) throws(RenderError) -> Watermark {
        if node.isScalar {
            return Watermark(text: try RichText(parsing: try node.string("watermark"), location: node.textLocation),
                             condition: nil, color: Color(red: 0.85, green: 0.1, blue: 0.1, alpha: 0.15), size: 96, angle: -35)
        }
        let map = try node.mapping("watermark")
        let text = try map.require("text")
        var mark = Watermark(text: try RichText(parsing: try text.string("text"), location: text.textLocation), condition: nil,
                             color: Color(red: 0.85, green: 0.1, blue: 0.1, alpha: 0.15), size: 96, angle: -35)
        if let n = map["if"] { mark.condition = try Expression(parsing: try n.string("if"), location: n.textLocation) }
        if let n = map["color"] { mark.color = try n.color("color") }
        if let n = map["size"] { mark.size = try n.length("size") }
        if let n = map["angle"] { mark.angle = try n.number("angle") }
        try map.finish()
        return mark
    }

    /// Refuses templates nested deeper than `maxNesting`, walking the tree without recursion.
    private static func checkNesting(_ root: Node, file: String) throws(RenderError) {
        var pending: [(Node, Int)] = [(root, 1)]
        while let (node, depth) = pending.popLast() {
            guard depth <= maxNesting else {
                throw TemplateNode(node: node, file: file).error("the template nests deeper than \(maxNesting) levels")
            }
            switch node {
            case .mapping(let mapping): for (_, value) in mapping { pending.append((value, depth + 1)) }
            case .sequence(let sequence): for item in sequence { pending.append((item, depth + 1)) }
            default: break
            }
        }
    }

    static func yamlError(_ error: YamlError, file: String) -> RenderError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = problem
            if let context { message += " (\(context.text) that starts at line \(context.mark.line), column \(context.mark.column))" }
            return RenderError(.templateSyntax, message,
                               location: SourceLocation(file: file, line: mark.line, column: mark.column))
        default:
            return RenderError(.templateSyntax, "\(error)", location: SourceLocation(file: file))
        }
    }
}
