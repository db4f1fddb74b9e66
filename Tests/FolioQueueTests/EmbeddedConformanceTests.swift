import FolioQueue
import FolioQueueConformance
import Testing

/// The conformance suite against the in-process driver.
@Suite("Embedded driver conformance")
struct EmbeddedConformanceTests {
    static let factory: Conformance.Factory = { EmbeddedDriver() }

    @Test(arguments: Conformance.all.map(\.0))
    func scenario(_ name: String) async throws {
        let run = Conformance.all.first { $0.0 == name }!.1
        try await run(Self.factory)
    }
}
