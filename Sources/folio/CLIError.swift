import ArgumentParser
import FolioRender
import Foundation

/// Exit codes a script can act on (BSD sysexits), and one readable line on standard error.
enum CLIExit {
    static func code(for error: RenderError) -> Int32 {
        switch error.code {
        case .dataInvalid, .dataMalformed, .imageInvalid, .barcodeInvalid: 65   // EX_DATAERR
        case .templateNotFound: 66                                             // EX_NOINPUT
        case .templateSyntax, .templateInvalid, .expressionSyntax, .unknownFilter: 78 // EX_CONFIG
        case .pageLimit, .timeLimit: 75                                        // EX_TEMPFAIL: a limit, not a bug
        default: 70                                                            // EX_SOFTWARE
        }
    }

    /// Prints `error` and exits with its code.
    static func fail(_ error: RenderError) -> ExitCode {
        FileHandle.standardError.write(Data(("error: " + error.description + "\n").utf8))
        return ExitCode(code(for: error))
    }
}

/// Reads JSON data from a file or standard input (`-`).
func readData(_ path: String) throws(RenderError) -> Value {
    let bytes: [UInt8]
    if path == "-" {
        bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    } else {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RenderError(.templateNotFound, "cannot read data file \(path)")
        }
        bytes = [UInt8](data)
    }
    return try Value.parse(json: bytes)
}

/// Writes a file whole or not at all.
func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url, options: .atomic)
}
