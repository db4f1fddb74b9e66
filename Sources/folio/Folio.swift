import ArgumentParser
import Dispatch
import Foundation
import NIOPosix

/// The `folio` command: one executable for serving, working, previewing and measuring.
@main
struct Folio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "Folio renders business documents (PDF, PNG, SVG) from templates and JSON data.",
        version: "0.1.0",
        subcommands: [ServeCommand.self, WorkerCommand.self, PreviewCommand.self, TemplatesCommand.self, BenchCommand.self]
    )

    static func main() {
        ProcessTuning.lineBufferedOutput()
        let command: any ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        // A service has many threads allocating at once (event loops, render threads, Redis connections): glibc's default
        // arenas, and its tasks on the event loops. The queue benchmark runs its tasks where the service does.
        ProcessTuning.keepMallocArenaTops()
        // `bench render` renders as the service's render threads do: with two render threads and two arenas, the threads
        // shared one arena in about half the runs, each then 40 % slower (measured), which made the raw figure a lottery.
        if !(command is ServeCommand || command is WorkerCommand || command is BenchRenderCommand) {
            ProcessTuning.limitMallocArenas()
        }
        if command is ServeCommand || command is WorkerCommand || command is BenchQueueCommand,
           ProcessInfo.processInfo.environment["FOLIO_EXECUTOR"] != "dispatch" {
            ProcessTuning.runSwiftConcurrencyOnEventLoops()
        }
        let box = CommandBox(command)
        Task {
            do {
                var command = box.command
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            } catch {
                exit(withError: error)
            }
            exit()
        }
        dispatchMain()
    }
}

/// Carries the parsed command into the task that runs it (a command is a plain value, parsed once on the main thread).
private struct CommandBox: @unchecked Sendable {
    let command: any ParsableCommand
    init(_ command: any ParsableCommand) { self.command = command }
}
