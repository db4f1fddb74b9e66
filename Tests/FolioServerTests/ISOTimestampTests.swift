import Foundation
import Testing

@testable import FolioServer

/// The status timestamps: the same text Foundation's ISO 8601 formatter writes, for any instant.
@Suite("ISO timestamps") struct ISOTimestampTests {
    @Test("agrees with ISO8601DateFormatter across centuries, leap days and before 1970")
    func agreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var samples: [Int64] = [0, 1, 999, 86_399_999, 86_400_000, -1, -86_400_001, 951_782_400_000, 4_107_542_399_999,
                                1_795_000_000_123, 1_709_164_800_000, -2_208_988_800_000]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { samples.append(Int64.random(in: -2_208_988_800_000...4_102_444_800_000, using: &generator)) }
        for ms in samples {
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
            #expect(ISOTimestamp.string(fromMilliseconds: ms) == expected, "at \(ms) ms")
        }
    }
}
