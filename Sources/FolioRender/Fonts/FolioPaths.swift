import Foundation

/// Finds Folio's shipped folders (`fonts/`, `templates/`) whether run from the checkout or from `.build/release`.
public enum FolioPaths {
    /// `name` under the current directory, or under the first ancestor of the executable that has it.
    public static func resolve(_ name: String) -> String {
        let fm = FileManager.default
        let cwd = fm.currentDirectoryPath + "/" + name
        if fm.fileExists(atPath: cwd) { return cwd }
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        for _ in 0..<6 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent(name).path
            if fm.fileExists(atPath: candidate) { return candidate }
        }
        return cwd
    }
}
