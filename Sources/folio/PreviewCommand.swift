import ArgumentParser
import FolioRender
import Foundation

/// `folio preview`: render one template (or all) with sample or given data to a file.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "preview", abstract: "Render a template to PDF, PNG or SVG.")

    @Argument(help: "Template name (a folder in the templates directory).") var template: String?
    @Option(help: "JSON data file, or - for standard input. Default: the template's sample.json.") var data: String?
    @Option(help: "Output file. Default: out/NAME.FORMAT") var out: String?
    @Option(help: "pdf, png or svg.") var format: String = "pdf"
    @Option(help: "Resolution for PNG.") var dpi: Double = 150
    @Option(help: "Page to produce for PNG/SVG (1-based). Default: all.") var page: Int?
    @Flag(help: "Render every template's sample to --out (a folder) as PDF and PNG.") var all = false
    @Option(help: "Templates folder.") var templates: String = TemplateLibrary.defaultDirectory()
    @Option(help: "Fonts folder.") var fonts: String = FontLibrary.defaultDirectory()

    func run() throws {
        let renderer = try Renderer(fonts: FontLibrary(directory: fonts))
        let library = TemplateLibrary(directory: templates)
        print(renderer.fonts.families)
        let template = try library.template(named: self.template ?? "")
        let value: Value
        if let data {
            let bytes = data == "-" ? [UInt8](FileHandle.standardInput.readDataToEndOfFile()) : [UInt8](try Data(contentsOf: URL(fileURLWithPath: data)))
            value = try Value.parse(json: bytes)
        } else {
            value = template.sample ?? .object(ValueObject())
        }
        let output = OutputFormat(rawValue: format) ?? .pdf
        let start = Date()
        let document = try renderer.render(template, data: value, options: RenderOptions(format: output, dpi: dpi, pages: page.map { [$0] }))
        let path = out ?? "out/\(template.name).\(output.rawValue)"
        for (i, file) in document.files.enumerated() {
            let name = document.files.count > 1 ? path.replacingOccurrences(of: ".\(output.rawValue)", with: "-\(i + 1).\(output.rawValue)") : path
            try Data(file).write(to: URL(fileURLWithPath: name))
            print("wrote \(name)")
        }
        print("\(document.pageCount) pages in \(Date().timeIntervalSince(start))s; warnings: \(document.warnings)")
    }
}
