import Foundation
import Testing
@testable import FolioRender

@Suite struct FilterDateTests {
    @Test(arguments: [
        ("'2025-03-20' | date", "en-GB", "20 Mar 2025"),
        ("'2025-03-20' | date('short')", "en-GB", "20/03/2025"),
        ("'2025-03-20' | date('short')", "de-DE", "20.03.25"),
        ("'2025-03-20' | date('medium')", "de-DE", "20.03.2025"),
        ("'2025-03-20' | date('long')", "fr-FR", "20 mars 2025"),
        ("'2025-03-20' | date('long')", "ja-JP", "2025年3月20日"),
        ("'2025-03-20' | date('iso')", "en-US", "2025-03-20"),
        ("'2025-03-20' | date('dd MMM yyyy')", "en-GB", "20 Mar 2025"),
        ("'2025-03-20' | date('yyyyMMdd')", "en-GB", "20250320"),
        ("'2024-02-29' | date('EEEE d MMMM')", "en-GB", "Thursday 29 February"),
        ("'10:30' | time", "en-GB", "10:30"),
        ("'10:30' | time", "en-US", "10:30\u{202F}AM"),
        ("'10:30:15' | time('iso')", "en-GB", "10:30:15"),
    ])
    func datesAndTimes(source: String, locale: String, expected: String) throws {
        let text = try filtered(source, locale: locale)
        #expect(text == expected || text.replacingOccurrences(of: "\u{202F}", with: " ") == expected
                    .replacingOccurrences(of: "\u{202F}", with: " "), "\(source) in \(locale): \(text)")
    }

    @Test func dateTimesMoveToTheDocumentTimeZone() throws {
        // 14:07:31 UTC is 14:07 in London (GMT until 30 March), 10:07 in New York (EDT from 9 March),
        // 23:07 in Tokyo.
        let source = "'2025-03-20T14:07:31+00:00' | datetime('HH:mm')"
        #expect(try filtered(source, timeZone: "Europe/London") == "14:07")
        #expect(try filtered(source, timeZone: "America/New_York") == "10:07")
        #expect(try filtered(source, timeZone: "Asia/Tokyo") == "23:07")
        // Offsets in the data are honoured: 14:07:31+01:00 is 13:07:31Z.
        #expect(try filtered("'2025-03-20T14:07:31+01:00' | time('iso')", timeZone: "UTC") == "13:07:31")
        #expect(try filtered("'2025-03-20T13:05:12.000Z' | datetime('iso')", timeZone: "Europe/Berlin")
                    == "2025-03-20T14:05:12+01:00")
        // Across midnight, the date filter shows the local day.
        #expect(try filtered("'2025-03-20T23:30:00Z' | date('iso')", timeZone: "Asia/Tokyo") == "2025-03-21")
        // Summer time.
        #expect(try filtered("'2025-07-01T12:00:00Z' | time", timeZone: "Europe/London") == "13:00")
    }

    @Test func plainDatesAreNeverShifted() throws {
        #expect(try filtered("'2025-03-20' | date('iso')", timeZone: "Pacific/Kiritimati") == "2025-03-20")
        #expect(try filtered("'2025-03-20' | date('iso')", timeZone: "Pacific/Pago_Pago") == "2025-03-20")
    }

    @Test func badDatesAreClearErrors() {
        #expect(filterFailure("'20/03/2025' | date")?.message.contains("is not an ISO 8601 date") == true)
        #expect(filterFailure("'2025-02-30' | date")?.message.contains("is not an ISO 8601") == true)
        #expect(filterFailure("'2025-03-20T10:00:00' | datetime")?.message.contains("is not an ISO 8601") == true)
        #expect(filterFailure("'10:30' | date")?.message.contains("time of day, not a date") == true)
        #expect(filterFailure("20250320 | date")?.message.contains("expected ISO 8601 text") == true)
        #expect((try? filtered("invoice.due_date | date")) == "")
    }

    @Test func unknownTimeZoneIsReported() {
        do {
            _ = try filtered("'2025-03-20T10:00:00Z' | datetime", timeZone: "Mars/Olympus")
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("unknown time zone"))
        }
    }
}
