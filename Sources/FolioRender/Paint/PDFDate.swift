import Foundation

/// Dates in the form Cairo's PDF metadata takes (ISO 8601 with a zone).
enum PDFDate {
    /// Accepts `2025-03-20`, `2025-03-20T10:15:00Z`, `2025-03-20T10:15:00+01:00`; nil for anything else.
    static func iso8601(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let date = trimmed.prefix(10)
        guard date.count == 10, date.allSatisfy({ $0.isNumber || $0 == "-" }),
              date.split(separator: "-").count == 3 else { return nil }
        if trimmed.count == 10 { return "\(date)T00:00:00Z" }
        let formatter = ISO8601DateFormatter()
        guard formatter.date(from: trimmed) != nil else { return nil }
        return trimmed
    }

    static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
