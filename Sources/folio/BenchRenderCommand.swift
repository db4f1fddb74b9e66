import ArgumentParser
import FolioQueue
import FolioRender
import Foundation

/// `folio bench render`: documents/s, pages/s, latency percentiles and peak memory per template, on one thread and on all
/// cores, measured in-process. A measurement, not a test: nothing here passes or fails.
struct BenchRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Measure render throughput.")

    @Option(help: "Seconds to measure each case in each mode.") var seconds: Double = 2
    @Option(help: "Threads for the all-cores mode. Default: the cores this process may use (affinity, cgroup quota).") var threads: Int = ProcessInfoCores.count
    @Option(help: "Lines in the synthetic long invoice.") var lines: Int = 1000
    @Option(help: "Only templates whose name contains this.") var only: String?
    @Flag(help: "With --only: the case of exactly that name (not also the long invoice).") var exact = false
    @Flag(help: "Only the all-cores mode (benchmarks/http.sh pairs it with its end-to-end rounds).") var allCoresOnly = false
    @Flag(help: "Print JSON only.") var json = false
    @Option(help: "Templates folder.") var templates: String = TemplateLibrary.defaultDirectory()
    @Option(help: "Fonts folder.") var fonts: String = FontLibrary.defaultDirectory()

    struct Case {
        var name: String
        var template: Template
        var data: Value
    }

    struct Result: Codable {
        var name: String
        var mode: String
        var threads: Int
        var documents: Int
        var pagesPerDocument: Int
        var documentsPerSecond: Double
        var pagesPerSecond: Double
        var p50Milliseconds: Double
        var p95Milliseconds: Double
        var p99Milliseconds: Double
        /// The process's CPU time (user + system) per document while this mode ran: the cost of a document, which a
        /// busy or shared machine moves less than it moves documents/s.
        var cpuMillisecondsPerDocument: Double
    }

    /// How time grows with rows: the invoice at 1,000 and 10,000 lines, one thread, median of three.
    struct Scaling: Codable {
        var thousandLinesMilliseconds: Double
        var tenThousandLinesMilliseconds: Double
        var ratio: Double
    }

    struct Report: Codable {
        var machine: String
        var cores: Int
        var secondsPerCase: Double
        var results: [Result]
        var scaling: Scaling?
        var peakMemoryMiB: Double
    }

    func run() throws {
        let renderer: Renderer
        do { renderer = try Renderer(fonts: FontLibrary(directory: fonts)) } catch { throw CLIExit.fail(error) }
        let library = TemplateLibrary(directory: templates)
        var cases: [Case] = []
        for name in library.names {
            guard let template = try? library.template(named: name), let sample = template.sample else { continue }
            cases.append(Case(name: name, template: template, data: sample))
            if name == "invoice" {
                cases.append(Case(name: "invoice-\(lines)-lines", template: template, data: Self.longInvoice(sample, lines: lines)))
            }
        }
        if let only { cases = cases.filter { exact ? $0.name == only : $0.name.contains(only) } }
        guard !cases.isEmpty else { throw ValidationError("no templates with a sample.json in \(templates)") }
        let modes = allCoresOnly || threads <= 1 ? [threads] : [1, threads]
        let total = cases.count * modes.count
        var results: [Result] = []
        for (caseIndex, benchCase) in cases.enumerated() {
            let options = RenderOptions(format: .pdf, creationDate: "2025-01-01")
            let pages: Int
            do { pages = try renderer.render(benchCase.template, data: benchCase.data, options: options).pageCount }
            catch { throw CLIExit.fail(error) }
            for (modeIndex, threadCount) in modes.enumerated() {
                let step = caseIndex * modes.count + modeIndex
                let cpuBefore = Self.cpuSeconds()
                let latencies = measure(renderer, benchCase, options: options, threads: threadCount) { fraction in
                    if !json && isatty(2) != 0 { progress((Double(step) + fraction) / Double(total), label: "\(benchCase.name) ×\(threadCount)") }
                }
                let cpu = Self.cpuSeconds() - cpuBefore
                let sorted = latencies.sorted()
                func percentile(_ p: Double) -> Double {
                    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000
                }
                let documentsPerSecond = Double(sorted.count) / seconds
                results.append(Result(name: benchCase.name, mode: threadCount == 1 ? "1 thread" : "\(threadCount) threads",
                                      threads: threadCount, documents: sorted.count, pagesPerDocument: pages,
                                      documentsPerSecond: documentsPerSecond,
                                      pagesPerSecond: documentsPerSecond * Double(pages),
                                      p50Milliseconds: percentile(0.5), p95Milliseconds: percentile(0.95),
                                      p99Milliseconds: percentile(0.99),
                                      cpuMillisecondsPerDocument: sorted.isEmpty ? 0 : cpu * 1000 / Double(sorted.count)))
            }
        }
        if !json && isatty(2) != 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        // Peak memory of the throughput cases, read before the scaling run (a 10,000-line invoice is 600+ pages).
        let peak = Self.peakMemoryMiB()
        // Scaling belongs with the long invoice: measured when that case is.
        let scaling = cases.contains { $0.name.hasPrefix("invoice-") }
            ? cases.first { $0.name == "invoice" }.flatMap { measureScaling(renderer, $0) } : nil
        let report = Report(machine: Self.machine(), cores: ProcessInfoCores.count,
                            secondsPerCase: seconds, results: results, scaling: scaling, peakMemoryMiB: peak)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        printTable(header: ["CASE", "MODE", "PAGES", "DOCS/S", "PAGES/S", "P50 MS", "P95 MS", "P99 MS", "CPU MS/DOC"], rows: results.map {
            [$0.name, $0.mode, "\($0.pagesPerDocument)", String(format: "%.1f", $0.documentsPerSecond),
             String(format: "%.1f", $0.pagesPerSecond), String(format: "%.2f", $0.p50Milliseconds),
             String(format: "%.2f", $0.p95Milliseconds), String(format: "%.2f", $0.p99Milliseconds),
             String(format: "%.2f", $0.cpuMillisecondsPerDocument)]
        })
        for name in Set(results.map(\.name)).sorted() {
            let single = results.first { $0.name == name && $0.threads == 1 }
            let multi = results.first { $0.name == name && $0.threads > 1 }
            if let single, let multi, single.documentsPerSecond > 0 {
                print("\(name): \(multi.threads) threads = \(String(format: "%.2f", multi.documentsPerSecond / single.documentsPerSecond))× one thread")
            }
        }
        if let scaling {
            print(String(format: "rows: 1,000 lines %.0f ms, 10,000 lines %.0f ms = %.1f× (linear is 10×)",
                         scaling.thousandLinesMilliseconds, scaling.tenThousandLinesMilliseconds, scaling.ratio))
        }
        print(String(format: "peak memory (max RSS): %.1f MiB; %@; %d cores", report.peakMemoryMiB, report.machine, report.cores))
    }

    /// Median single-thread time of the invoice at 1,000 and at 10,000 lines.
    private func measureScaling(_ renderer: Renderer, _ invoice: Case) -> Scaling? {
        var limits = RenderLimits()
        limits.maxPages = 5_000
        limits.renderTime = .seconds(300)
        let options = RenderOptions(format: .pdf, creationDate: "2025-01-01", limits: limits)
        func median(_ lines: Int) -> Double? {
            let data = Self.longInvoice(invoice.data, lines: lines)
            var times: [Double] = []
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds
                guard (try? renderer.render(invoice.template, data: data, options: options)) != nil else { return nil }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return times.sorted()[1]
        }
        guard let small = median(1_000), let large = median(10_000) else { return nil }
        return Scaling(thousandLinesMilliseconds: small, tenThousandLinesMilliseconds: large, ratio: large / small)
    }

    /// Renders in a loop on `threads` threads for `seconds`; returns each render's latency in seconds.
    private func measure(_ renderer: Renderer, _ benchCase: Case, options: RenderOptions, threads: Int,
                         progress: (Double) -> Void) -> [Double] {
        final class Collected: @unchecked Sendable {
            let lock = NSLock()
            var latencies: [Double] = []
        }
        let collected = Collected()
        let deadline = Date().addingTimeInterval(seconds)
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            let thread = Thread {
                var local: [Double] = []
                while Date() < deadline {
                    let start = DispatchTime.now().uptimeNanoseconds
                    _ = try? renderer.render(benchCase.template, data: benchCase.data, options: options)
                    local.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                }
                collected.lock.lock(); collected.latencies += local; collected.lock.unlock()
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        while group.wait(timeout: .now() + 0.1) == .timedOut {
            progress(min(1, 1 - deadline.timeIntervalSinceNow / seconds))
        }
        return collected.latencies
    }

    private func progress(_ fraction: Double, label: String) {
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(bar) \(Int(fraction * 100))% \(label)".utf8))
    }

    /// The sample invoice with its lines repeated to `lines`, numbered afresh.
    static func longInvoice(_ sample: Value, lines: Int) -> Value {
        guard case .object(var root) = sample, case .array(let items)? = root["lines"], !items.isEmpty else { return sample }
        var expanded: [Value] = []
        for index in 0..<lines {
            var item = items[index % items.count]
            if case .object(var object) = item {
                object["line"] = .integer(Int64(index + 1))
                item = .object(object)
            }
            expanded.append(item)
        }
        root["lines"] = .array(expanded)
        return .object(root)
    }

    /// User + system CPU time of the whole process so far.
    static func cpuSeconds() -> Double {
        let usage = processUsage()
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func peakMemoryMiB() -> Double { Double(processUsage().ru_maxrss) / 1024 }

    private static func processUsage() -> rusage {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage
    }

    static func machine() -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":").last?.trimmingCharacters(in: .whitespaces)
        return cpu ?? "unknown CPU"
    }
}

/// `folio bench`: measurements, printed as a table and as JSON.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure render and queue throughput.",
                                                    subcommands: [BenchRenderCommand.self, BenchQueueCommand.self])
}
