import Foundation

/// Every template in a folder, loaded once. Names are folder names; nothing outside the folder can be named.
public final class TemplateLibrary: Sendable {
    public let directory: String
    public let templates: [String: Template]
    /// Templates that failed to load, with why: reported by `folio templates validate`, never fatal to the others.
    public let failures: [String: RenderError]

    public init(directory: String) {
        self.directory = directory
        var templates: [String: Template] = [:], failures: [String: RenderError] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path + "/template.yaml", isDirectory: &isDirectory) else { continue }
            do {
                templates[name] = try TemplateLoader.load(directory: path)
            } catch {
                failures[name] = error
            }
        }
        self.templates = templates
        self.failures = failures
    }

    public var names: [String] { templates.keys.sorted() }

    /// The template called `name`; names are validated so a request can never reach outside the folder.
    public func template(named name: String) throws(RenderError) -> Template {
        guard TemplateLibrary.isValidName(name) else {
            throw RenderError(.templateNotFound, "'\(name)' is not a template name (letters, digits, '-' and '_' only)")
        }
        if let template = templates[name] { return template }
        if let failure = failures[name] { throw failure }
        var message = "no template named '\(name)'"
        if let close = closestMatch(to: name, among: names) { message += "; did you mean '\(close)'?" }
        throw RenderError(.templateNotFound, message)
    }

    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// `$FOLIO_TEMPLATES`, or the shipped `templates/` folder.
    public static func defaultDirectory() -> String {
        ProcessInfo.processInfo.environment["FOLIO_TEMPLATES"] ?? FolioPaths.resolve("templates")
    }
}
