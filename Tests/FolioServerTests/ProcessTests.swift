import FolioQueueConformance
import FolioQueue
import FolioRender
import Foundation
import NIOHTTP1
import Testing

/// The executable as operators run it: `folio serve --no-workers` and a separate `folio worker` sharing one Redis,
/// then SIGTERM for a graceful exit.
@Suite("folio serve and folio worker processes", .serialized) struct ProcessTests {
    static let binary: String? = [repositoryRoot + "/.build/debug/folio",
                                  repositoryRoot + "/.build/x86_64-unknown-linux-gnu/debug/folio"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    final class Child: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        /// `launcher`: a command that runs the binary (such as `taskset -c 0`), or none.
        init(_ arguments: [String], environment: [String: String] = [:], launcher: [String] = []) throws {
            let command = launcher + [ProcessTests.binary!] + arguments
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            process.standardOutput = output
            process.standardError = errors
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["FOLIO_TEMPLATES": repositoryRoot + "/templates", "FOLIO_FONTS": repositoryRoot + "/fonts"]
                    .merging(environment) { $1 }) { $1 }
            try process.run()
        }
        /// Standard output up to the first line containing `marker` (bounded by `timeout`).
        func waitFor(_ marker: String, timeout: Duration = .seconds(30)) async throws -> String {
            let handle = output.fileHandleForReading
            let deadline = ContinuousClock.now + timeout
            var text = ""
            while !text.contains(marker) {
                guard ContinuousClock.now < deadline, process.isRunning else { break }
                let chunk = handle.availableData
                if chunk.isEmpty { try await Task.sleep(for: .milliseconds(50)) } else { text += String(decoding: chunk, as: UTF8.self) }
            }
            return text
        }
        func terminate() -> Int32 {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    @Test("serve (HTTP only) + worker share Redis: a render submitted to one is rendered by the other; SIGTERM exits 0",
          .enabled(if: binary != nil && redisURL != nil))
    func serveAndWorker() async throws {
        let port = try RedisServerProcess.freePort()
        let dir = NSTemporaryDirectory() + "folio-proc-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let common = ["--redis-url", redisURL!, "--set", "results_dir=\(dir)", "--set", "log_level=error",
                      "--set", "grace_period=5"]
        let serve = try Child(["serve", "--port", "\(port)", "--no-workers"] + common)
        let banner = try await serve.waitFor("templates:")
        #expect(banner.contains("listening on http://127.0.0.1:\(port)"))
        #expect(banner.contains("engine:    redis://127.0.0.1"))
        #expect(banner.contains("templates: 6"))
        let worker = try Child(["worker", "--queues", "pdf,notification"] + common)
        let workerBanner = try await worker.waitFor("templates:")
        #expect(workerBanner.contains("pdf×"))
        #expect(workerBanner.contains("(waits while Redis is away)") && !workerBanner.contains("auth:"),
                 "a worker has no HTTP side and no fallback: \(workerBanner)")

        let client = TestService.Client(port: port)
        let r = try await client.request(.POST, "/v1/renders?wait=30", json: try TestService.invoiceRequest())
        #expect(r.status == 200)
        #expect(Array(r.body.prefix(5)) == Array("%PDF-".utf8))
        #expect(worker.terminate() == 0)
        #expect(serve.terminate() == 0)
    }

    @Test("settings: folio.yaml, then FOLIO_* environment, then --set; a public address without auth is refused",
          .enabled(if: binary != nil))
    func configurationSources() async throws {
        let dir = NSTemporaryDirectory() + "folio-conf-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let filePort = try RedisServerProcess.freePort()
        let envPort = try RedisServerProcess.freePort()
        try "port: \(filePort)\nresults_dir: \(dir)/results\nlog_level: error\npdf_concurrency: 3\n"
            .write(toFile: dir + "/folio.yaml", atomically: true, encoding: .utf8)
        // The file alone.
        let a = try Child(["serve", "--config", dir + "/folio.yaml"])
        let bannerA = try await a.waitFor("templates:")
        #expect(bannerA.contains("listening on http://127.0.0.1:\(filePort)"))
        #expect(bannerA.contains("pdf×3"))
        #expect(a.terminate() == 0)
        // The environment wins over the file, and --set over the environment.
        let b = try Child(["serve", "--config", dir + "/folio.yaml", "--set", "pdf_concurrency=1"],
                          environment: ["FOLIO_PORT": "\(envPort)", "FOLIO_PDF_CONCURRENCY": "2"])
        let bannerB = try await b.waitFor("templates:")
        #expect(bannerB.contains("listening on http://127.0.0.1:\(envPort)"))
        #expect(bannerB.contains("pdf×1"))
        #expect(b.terminate() == 0)
        // No auth on a public address: refused with a message, exit code 78.
        let c = try Child(["serve", "--config", dir + "/folio.yaml", "--host", "0.0.0.0"])
        c.process.waitUntilExit()
        #expect(c.process.terminationStatus == 78)
        let message = String(decoding: c.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("refusing to listen on 0.0.0.0 without auth"))
        // An unknown setting is named.
        let d = try Child(["serve", "--set", "colour=blue"])
        d.process.waitUntilExit()
        #expect(d.process.terminationStatus != 0)
    }

    @Test("SIGTERM while a render runs: the render finishes, its waiting request gets the PDF, the process exits 0",
          .enabled(if: binary != nil))
    func gracefulShutdown() async throws {
        let dir = NSTemporaryDirectory() + "folio-term-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try RedisServerProcess.freePort()
        let serve = try Child(["serve", "--port", "\(port)", "--set", "results_dir=\(dir)", "--set", "log_level=error",
                               "--set", "grace_period=60", "--set", "render_timeout=120"])
        _ = try await serve.waitFor("templates:")
        var sample = try String(contentsOfFile: repositoryRoot + "/templates/invoice/sample.json", encoding: .utf8)
        let line = #"{"line": 1, "sku": "X", "description": "Lens", "kind": "service", "quantity": 1, "unit_price_gross_minor": 0, "line_net_minor": 0, "line_vat_minor": 0, "line_gross_minor": 0, "vat_category": "E", "vat_rate_percent": 0}"#
        if let range = sample.range(of: #""lines": ["#) {
            sample.insert(contentsOf: Array(repeating: line, count: 3000).joined(separator: ",") + ",", at: range.upperBound)
        }
        let client = TestService.Client(port: port)
        let body = #"{"template": "invoice", "data": \#(sample)}"#
        let waiting = Task { try await client.request(.POST, "/v1/renders?wait=30", json: body) }
        // Once the render is running, ask the process to stop.
        var running = false
        for _ in 0..<200 where !running {
            let list = try await client.request(.GET, "/v1/renders?state=active")
            running = (list.json["count"]?.int ?? 0) > 0
            if !running { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(running)
        serve.process.terminate()  // SIGTERM
        let reply = try await waiting.value
        #expect(reply.status == 200)
        #expect(Array(reply.body.prefix(5)) == Array("%PDF-".utf8))
        serve.process.waitUntilExit()
        #expect(serve.process.terminationStatus == 0)
    }

    @Test("a refused request's log line carries the X-Request-Id its answer gave, the caller's own or the server's",
          .enabled(if: binary != nil))
    func requestIDInLog() async throws {
        let dir = NSTemporaryDirectory() + "folio-rid-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try RedisServerProcess.freePort()
        let serve = try Child(["serve", "--port", "\(port)", "--set", "results_dir=\(dir)", "--set", "log_level=info"])
        _ = try await serve.waitFor("templates:")
        let client = TestService.Client(port: port)
        let mine = try await client.request(.GET, "/v1/renders/0123456789abcdef", headers: [("X-Request-Id", "order-4711:7")])
        let theirs = try await client.request(.GET, "/v1/renders/fedcba9876543210")
        #expect(mine.status == 404 && mine.header("X-Request-Id") == "order-4711:7")
        let generated = try #require(theirs.header("X-Request-Id"))
        #expect(serve.terminate() == 0)
        let log = String(decoding: serve.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let refused = log.split(separator: "\n").filter { $0.contains("request refused") }
        #expect(refused.count == 2, "\(log)")
        #expect(refused.contains { $0.contains("hb.request.id=order-4711:7") && $0.contains("path=/v1/renders/0123456789abcdef") })
        #expect(refused.contains { $0.contains("hb.request.id=\(generated)") && $0.contains("path=/v1/renders/fedcba9876543210") })
    }

    @Test("bench render --only invoice --exact --all-cores-only: one case, one mode, its documents and CPU per document",
          .enabled(if: binary != nil))
    func benchRenderOneCase() async throws {
        let bench = try Child(["bench", "render", "--only", "invoice", "--exact", "--all-cores-only", "--threads", "2",
                               "--seconds", "0.3", "--json",
                               "--templates", repositoryRoot + "/templates", "--fonts", repositoryRoot + "/fonts"])
        let out = bench.output.fileHandleForReading.readDataToEndOfFile()
        bench.process.waitUntilExit()
        #expect(bench.process.terminationStatus == 0)
        struct Report: Decodable {
            struct Result: Decodable { var name: String; var threads: Int; var documents: Int; var cpuMillisecondsPerDocument: Double }
            var results: [Result]
            var scaling: [String: Double]?
        }
        let report = try JSONDecoder().decode(Report.self, from: out)
        #expect(report.results.map(\.name) == ["invoice"] && report.results.map(\.threads) == [2], "\(report.results)")
        #expect(report.results[0].documents > 0 && report.results[0].cpuMillisecondsPerDocument > 0)
        #expect(report.scaling == nil, "the long-invoice scaling run belongs with the long invoice case")
    }

    /// A container given one CPU of a larger host, or `taskset`, must not start a render thread per host core.
    @Test("under taskset -c 0 folio counts one core: bench render's default threads and its report say 1",
          .enabled(if: binary != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset")))
    func coresFollowAffinity() throws {
        let bench = try Child(["bench", "render", "--only", "invoice", "--exact", "--all-cores-only", "--seconds", "0.2", "--json",
                               "--templates", repositoryRoot + "/templates", "--fonts", repositoryRoot + "/fonts"],
                              launcher: ["/usr/bin/taskset", "-c", "0"])
        let out = bench.output.fileHandleForReading.readDataToEndOfFile()
        bench.process.waitUntilExit()
        #expect(bench.process.terminationStatus == 0)
        struct Report: Decodable {
            struct Result: Decodable { var threads: Int }
            var cores: Int
            var results: [Result]
        }
        let report = try JSONDecoder().decode(Report.self, from: out)
        #expect(report.cores == 1 && report.results.map(\.threads) == [1], "cores \(report.cores), \(report.results)")
    }
}

