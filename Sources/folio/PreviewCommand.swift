import ArgumentParser
import FolioRender
import Foundation

/// `folio preview`: render a template with its sample (or given data) to a file, once or on every change.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Render a template to PDF, PNG or SVG.",
        discussion: """
            Without --data the template's sample.json is used. PNG and SVG write one file per page \
            (NAME-1.png, NAME-2.png…) unless --page picks one. --all renders every template's sample as PDF and PNG \
            into the --out folder (default out/).
            """)

    @Argument(help: "Template name (a folder in the templates directory).") var template: String?
    @Option(help: "JSON data file, or - for standard input. Default: the template's sample.json.") var data: String?
    @Option(help: "Output file (or folder with --all). Default: out/NAME.FORMAT") var out: String?
    @Option(help: "pdf, png or svg.") var format: OutputFormat = .pdf
    @Option(help: "Resolution for PNG.") var dpi: Double = 150
    @Option(help: "Only this page (1-based), for PNG and SVG.") var page: Int?
    @Option(help: "PDF creation date (ISO 8601); makes output byte-identical between runs.") var date: String?
    @Flag(help: "Render every template's sample into the --out folder as PDF and PNG.") var all = false
    @Option(help: "Most pages a document may have.") var maxPages: Int = RenderLimits().maxPages
    @Option(help: "Longest a render may take, in seconds.") var renderTimeout: Double = 30
    @Flag(help: "Re-render whenever the template, its assets or the data change.") var watch = false
    @Option(help: "Templates folder.") var templates: String = TemplateLibrary.defaultDirectory()
    @Option(help: "Fonts folder.") var fonts: String = FontLibrary.defaultDirectory()

    private var limits: RenderLimits {
        var limits = RenderLimits()
        limits.maxPages = maxPages
        limits.renderTime = .milliseconds(Int64(renderTimeout * 1000))
        return limits
    }

    func validate() throws {
        if !all && template == nil { throw ValidationError("name a template, or pass --all") }
        if dpi < 10 || dpi > 1200 { throw ValidationError("--dpi must be between 10 and 1200") }
    }

    func run() throws {
        do {
            let renderer = try Renderer(fonts: FontLibrary(directory: fonts))
            if all { try renderAll(renderer); return }
            guard let name = template else { return }
            if watch { try watchLoop(renderer, name: name); return }
            try renderOnce(renderer, name: name)
        } catch let error as RenderError {
            throw CLIExit.fail(error)
        }
    }

    private func renderOnce(_ renderer: Renderer, name: String) throws {
        guard TemplateLibrary.isValidName(name) else {
            throw RenderError(.templateNotFound, "'\(name)' is not a template name")
        }
        let template = try TemplateLoader.load(directory: templates + "/" + name)
        let value = try data.map { path throws(RenderError) in try readData(path) } ?? template.sample ?? .object(ValueObject())
        let started = ContinuousClock.now
        let document = try renderer.render(template, data: value,
                                           options: RenderOptions(format: format, dpi: dpi, pages: page.map { [$0] },
                                                                  creationDate: date, limits: limits))
        let elapsed = ContinuousClock.now - started
        let path = out ?? "out/\(name).\(format.rawValue)"
        let written = try write(document, to: path)
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        print("\(name): \(document.pageCount) page\(document.pageCount == 1 ? "" : "s") in \(String(format: "%.1f", ms)) ms → \(written.joined(separator: ", "))")
        for warning in document.warnings { print("  warning: \(warning)") }
    }

    /// Writes one file, or one per page, and returns their paths.
    private func write(_ document: RenderedDocument, to path: String) throws -> [String] {
        if document.files.count == 1 {
            try writeAtomically(document.files[0], to: path)
            return [path]
        }
        let ext = "." + document.format.rawValue
        let stem = path.hasSuffix(ext) ? String(path.dropLast(ext.count)) : path
        var paths: [String] = []
        for (index, file) in document.files.enumerated() {
            let name = "\(stem)-\(index + 1)\(ext)"
            try writeAtomically(file, to: name)
            paths.append(name)
        }
        return paths
    }

    private func renderAll(_ renderer: Renderer) throws {
        let library = TemplateLibrary(directory: templates)
        let folder = out ?? "out"
        var failed = false
        for (name, error) in library.failures.sorted(by: { $0.key < $1.key }) {
            print("\(name): FAILED to load: \(error)")
            failed = true
        }
        for name in library.names {
            let template = try library.template(named: name)
            guard let sample = template.sample else { print("\(name): no sample.json, skipped"); continue }
            do {
                for format in [OutputFormat.pdf, .png] {
                    let document = try renderer.render(template, data: sample,
                                                       options: RenderOptions(format: format, dpi: dpi, creationDate: date,
                                                                              limits: limits))
                    let paths = try write(document, to: "\(folder)/\(name).\(format.rawValue)")
                    print("\(name): \(document.pageCount) page(s) → \(paths.joined(separator: ", "))")
                }
            } catch let error as RenderError {
                print("\(name): FAILED: \(error)")
                failed = true
            }
        }
        let absolute = URL(fileURLWithPath: folder).standardizedFileURL.path
        print("Open the files in \(absolute)")
        if failed { throw ExitCode(70) }
    }

    private func watchLoop(_ renderer: Renderer, name: String) throws {
        let folder = templates + "/" + name
        var seen = ""
        print("watching \(folder)\(data.map { " and \($0)" } ?? ""); Ctrl-C to stop")
        while true {
            let stamp = Self.fingerprint(paths: [folder] + (data.map { [$0] } ?? []))
            if stamp != seen {
                seen = stamp
                do { try renderOnce(renderer, name: name) } catch let error as RenderError {
                    print("error: \(error)")
                } catch {
                    print("error: \(error)")
                }
            }
            Thread.sleep(forTimeInterval: 0.3)
        }
    }

    /// Modification times and sizes of every file under `paths`.
    static func fingerprint(paths: [String]) -> String {
        let fm = FileManager.default
        var parts: [String] = []
        for path in paths {
            var files = [path]
            if let enumerator = fm.enumerator(atPath: path) {
                files += enumerator.compactMap { $0 as? String }.map { path + "/" + $0 }
            }
            for file in files.sorted() {
                let attributes = try? fm.attributesOfItem(atPath: file)
                let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                parts.append("\(file):\(date):\(attributes?[.size] ?? 0)")
            }
        }
        return parts.joined(separator: "|")
    }
}

extension OutputFormat: ExpressibleByArgument {}
