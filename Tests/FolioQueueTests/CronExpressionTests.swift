import FolioQueue
import Foundation
import Testing

@Suite("Cron expressions and schedules")
struct CronExpressionTests {
    static let utc = TimeZone(identifier: "UTC")!
    static func date(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }
    static func iso(_ d: Date?, _ tz: TimeZone = utc) -> String {
        guard let d else { return "nil" }
        let f = ISO8601DateFormatter()
        f.timeZone = tz
        return f.string(from: d)
    }

    @Test("next occurrence", arguments: [
        ("*/15 * * * *", "2026-03-10T10:07:30Z", "2026-03-10T10:15:00Z"),
        ("0 9 * * mon-fri", "2026-03-13T09:00:00Z", "2026-03-16T09:00:00Z"),   // Friday 09:00 -> Monday
        ("30 2 1 * *", "2026-01-31T23:00:00Z", "2026-02-01T02:30:00Z"),
        ("0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),       // leap day
        ("0 12 1,15 * *", "2026-03-02T00:00:00Z", "2026-03-15T12:00:00Z"),
        ("5-10/5 8 * * *", "2026-03-10T08:05:00Z", "2026-03-10T08:10:00Z"),
        ("0 0 13 * fri", "2026-03-01T00:00:00Z", "2026-03-06T00:00:00Z"),     // day OR weekday when both restricted
        ("*/2 * * * * *", "2026-03-10T10:00:01Z", "2026-03-10T10:00:02Z"),    // six fields: seconds
        ("@hourly", "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z"),
        ("0 0 * * 7", "2026-03-10T00:00:00Z", "2026-03-15T00:00:00Z"),        // 7 is Sunday
    ])
    func next(_ expr: String, _ after: String, _ expected: String) throws {
        let cron = try CronExpression(expr, timeZone: Self.utc)
        #expect(Self.iso(cron.next(after: Self.date(after))) == expected)
    }

    @Test("time zones, including a daylight-saving jump")
    func timeZones() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let cron = try CronExpression("0 9 * * *", timeZone: berlin)
        // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC after the switch on 2026-03-29.
        #expect(Self.iso(cron.next(after: Self.date("2026-03-27T12:00:00Z"))) == "2026-03-28T08:00:00Z")
        #expect(Self.iso(cron.next(after: Self.date("2026-03-28T12:00:00Z"))) == "2026-03-29T07:00:00Z")
        // 02:30 does not exist on the switch day; the next one is the day after.
        let skipped = try CronExpression("30 2 * * *", timeZone: berlin)
        #expect(Self.iso(skipped.next(after: Self.date("2026-03-28T12:00:00Z"))) == "2026-03-30T00:30:00Z")
    }

    @Test("invalid expressions name the field", arguments: ["* * * *", "61 * * * *", "* * * * mon-", "*/0 * * * *", "5-1 * * * *"])
    func invalid(_ expr: String) {
        #expect(throws: QueueError.self) { try CronExpression(expr) }
    }

    @Test("intervals are aligned to the epoch")
    func intervals() {
        let s = Schedule.every(.seconds(10))
        #expect(s.next(afterMs: 1_000_003_000) == 1_000_010_000)
        #expect(s.next(afterMs: 1_000_010_000) == 1_000_020_000)
    }

    @Test("retry policies: exponential default, fixed, none, and their text form")
    func retryPolicies() {
        let e = RetryPolicy.exponential(base: .seconds(30), factor: 3, jitter: 0)
        #expect((1...4).map { e.delayMs(afterAttempt: $0) } == [30_000, 90_000, 270_000, 810_000])
        let j = RetryPolicy.default
        for _ in 0..<100 { #expect((24_000...36_000).contains(j.delayMs(afterAttempt: 1))) }
        #expect(RetryPolicy.fixed(.seconds(5)).delayMs(afterAttempt: 7) == 5_000)
        #expect(RetryPolicy.none.delayMs(afterAttempt: 3) == 0)
        for p in [e, j, .fixed(.seconds(5), jitter: 0.1), .none] { #expect(RetryPolicy(encoded: p.description) == p) }
    }
}
