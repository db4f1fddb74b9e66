import ArgumentParser

/// The `folio` command: one executable for serving, working, previewing and measuring.
@main
struct Folio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "Folio renders business documents (PDF, PNG, SVG) from templates and JSON data.",
        version: "0.1.0",
        subcommands: [ServeCommand.self, WorkerCommand.self, PreviewCommand.self, TemplatesCommand.self, BenchCommand.self]
    )

    static func main() async {
        ProcessTuning.limitMallocArenas()
        ProcessTuning.lineBufferedOutput()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
