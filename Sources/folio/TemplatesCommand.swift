import ArgumentParser
import FolioRender
import Foundation

/// `folio templates list | validate [NAME] | show NAME`.
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "List, validate and inspect templates.",
        subcommands: [List.self, Validate.self, Show.self])

    struct Location: ParsableArguments {
        @Option(help: "Templates folder.") var templates: String = TemplateLibrary.defaultDirectory()
        @Option(help: "Fonts folder.") var fonts: String = FontLibrary.defaultDirectory()
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every template with its title, page size and version.")
        @OptionGroup var location: Location

        func run() throws {
            let library = TemplateLibrary(directory: location.templates)
            let rows = library.names.compactMap { try? library.template(named: $0) }.map { template in
                [template.name, template.title, template.page.sizeText, template.version]
            }
            printTable(header: ["NAME", "TITLE", "PAGE", "VERSION"], rows: rows)
            for (name, error) in library.failures.sorted(by: { $0.key < $1.key }) {
                print("\(name): does not load: \(error)")
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load templates and render each with its sample; report every problem.")
        @Argument(help: "One template; all when omitted.") var name: String?
        @OptionGroup var location: Location

        func run() throws {
            let renderer: Renderer
            do { renderer = try Renderer(fonts: FontLibrary(directory: location.fonts)) } catch { throw CLIExit.fail(error) }
            let library = TemplateLibrary(directory: location.templates)
            var names = name.map { [$0] } ?? (library.names + library.failures.keys.sorted())
            names.sort()
            var worst: Int32?
            for name in names {
                switch Result(catching: { () throws(RenderError) -> [String] in try TemplatesCommand.check(name, library, renderer) }) {
                case .success(let lines): lines.forEach { print($0) }
                case .failure(let error):
                    print("FAIL  \(name): \(error)")
                    if worst == nil { worst = CLIExit.code(for: error) }
                }
            }
            if let worst { throw ExitCode(worst) }
        }
    }

    /// Loads and renders one template with its sample; the lines to print.
    static func check(_ name: String, _ library: TemplateLibrary, _ renderer: Renderer) throws(RenderError) -> [String] {
        let template = try library.template(named: name)
        guard let sample = template.sample else { return ["ok    \(name) (no sample.json to render)"] }
        let document = try renderer.render(template, data: sample, options: RenderOptions(creationDate: "2000-01-01"))
        return ["ok    \(name): \(document.pageCount) page(s)"] + document.warnings.map { "      warning: \($0)" }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The data shape a template expects, and its sample.")
        @Argument(help: "Template name.") var name: String
        @OptionGroup var location: Location

        func run() throws {
            do {
                let template = try TemplateLibrary(directory: location.templates).template(named: name)
                print("\(template.name) — \(template.title) (version \(template.version))")
                if let description = template.description { print(description) }
                print("page: \(template.page.sizeText)\n")
                print("Data shape:")
                print(template.dataShape?.describe() ?? "  (not declared: any JSON object)")
                if let sample = template.sample {
                    print("\nSample (sample.json):")
                    print(sample.jsonText(pretty: true))
                }
            } catch {
                throw CLIExit.fail(error)
            }
        }
    }
}

/// A plain aligned table for terminals.
func printTable(header: [String], rows: [[String]]) {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    for row in all {
        print(row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
            .joined(separator: "  "))
    }
}
