import Foundation
import Testing
@testable import FolioRender

/// The repository's folders, found from this file's path so tests run from any working directory.
enum Repository {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let fonts = root + "/fonts"
    static let templates = root + "/templates"
    static let samples = root + "/../shared/samples"
}

/// One renderer and template library for the whole test run (fonts register once).
enum Harness {
    static let renderer: Renderer = {
        do { return Renderer(fonts: try FontLibrary(directory: Repository.fonts)) } catch {
            fatalError("fonts: \(error)")
        }
    }()
    static let library = TemplateLibrary(directory: Repository.templates)

    /// A template from YAML written in the test; `name` is what errors call its file.
    static func template(_ yaml: String, name: String = "test") throws(RenderError) -> Template {
        try TemplateLoader.parse(yaml: yaml, name: name, file: "\(name)/template.yaml", directory: Repository.root + "/Tests/FolioRenderTests/Fixtures")
    }

    static func json(_ text: String) throws(RenderError) -> Value {
        try Value.parse(json: Array(text.utf8))
    }

    /// Renders to PDF with a fixed creation date.
    static func pdf(_ template: Template, _ data: Value, limits: RenderLimits = RenderLimits()) throws(RenderError) -> RenderedDocument {
        try renderer.render(template, data: data, options: RenderOptions(format: .pdf, creationDate: "2025-03-20", limits: limits))
    }
}

/// Poppler's command-line tools, run on PDF bytes: the checks a person would make.
enum Poppler {
    /// `raw` keeps content-stream order and includes rotated text (watermarks), which layout mode leaves out.
    static func text(_ pdf: [UInt8], layout: Bool = true, raw: Bool = false, page: Int? = nil) throws -> String {
        var arguments = raw ? ["-raw"] : layout ? ["-layout"] : []
        if let page { arguments += ["-f", "\(page)", "-l", "\(page)"] }
        return try run("pdftotext", arguments: arguments + ["-", "-"], input: pdf)
    }

    /// `pdfinfo` fields (Pages, Page size, Title, Author, CreationDate …).
    static func info(_ pdf: [UInt8]) throws -> [String: String] {
        let output = try run("pdfinfo", arguments: ["-"], input: pdf)
        var fields: [String: String] = [:]
        for line in output.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    /// Page sizes in points, from `pdfinfo -f 1 -l N`.
    static func pageSizes(_ pdf: [UInt8]) throws -> [(Double, Double)] {
        let pages = Int(try info(pdf)["Pages"] ?? "0") ?? 0
        let output = try run("pdfinfo", arguments: ["-f", "1", "-l", "\(pages)", "-"], input: pdf)
        return output.split(separator: "\n").filter { $0.hasPrefix("Page") && $0.contains("size:") }.compactMap { line in
            let parts = line.split(separator: ":", maxSplits: 1)[1].split(separator: " ")
            guard parts.count >= 3, let w = Double(parts[0]), let h = Double(parts[2]) else { return nil }
            return (w, h)
        }
    }

    /// Rasterises page `page` with pdftoppm at `dpi`; returns the PNG bytes.
    static func png(_ pdf: [UInt8], page: Int, dpi: Int) throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-ppm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.pdf")
        try Data(pdf).write(to: input)
        _ = try run("pdftoppm", arguments: ["-r", "\(dpi)", "-f", "\(page)", "-l", "\(page)", "-singlefile", "-png",
                                            input.path, dir.appendingPathComponent("page").path], input: [])
        return [UInt8](try Data(contentsOf: dir.appendingPathComponent("page.png")))
    }

    static func run(_ tool: String, arguments: [String], input: [UInt8]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        _ = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PopplerError(message: "\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

struct PopplerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension String {
    /// How many times `needle` occurs.
    func occurrences(of needle: String) -> Int {
        guard !needle.isEmpty else { return 0 }
        return components(separatedBy: needle).count - 1
    }
}

/// A word as `pdftotext -bbox` places it, in points from the page's top-left corner.
struct PlacedWord {
    var text: String
    var page: Int
    var xMin: Double, yMin: Double, xMax: Double, yMax: Double
}

extension Poppler {
    /// Every word with its box, page by page.
    static func words(_ pdf: [UInt8]) throws -> [PlacedWord] {
        let html = try run("pdftotext", arguments: ["-bbox", "-", "-"], input: pdf)
        var words: [PlacedWord] = []
        var page = 0
        for line in html.split(separator: "\n") {
            if line.contains("<page ") { page += 1; continue }
            guard line.contains("<word "), let open = line.firstIndex(of: ">"),
                  let close = line.range(of: "</word>") else { continue }
            func number(_ name: String) -> Double {
                guard let range = line.range(of: name + "=\"") else { return 0 }
                let rest = line[range.upperBound...]
                return Double(rest.prefix { $0 != "\"" }) ?? 0
            }
            let text = String(line[line.index(after: open)..<close.lowerBound])
                .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            words.append(PlacedWord(text: text, page: page, xMin: number("xMin"), yMin: number("yMin"),
                                    xMax: number("xMax"), yMax: number("yMax")))
        }
        return words
    }
}
