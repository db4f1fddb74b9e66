import Foundation

/// `date`, `datetime` and `time`: ISO 8601 text in the data, shown in the document's locale and time zone.
///
/// The argument is a style, `short`, `medium` (the default), `long`, `full` or `iso`, or an ICU pattern such as
/// `'dd MMM yyyy'` or `'HH:mm'`. Date-times are converted to the context's time zone; plain dates are calendar days
/// and are never shifted.
enum DateFilters {
    static let all: [Filter] = [
        Filter("date", arity: 0...1, summary: "date, date('short'|'long'|'iso') or date('dd MMM yyyy')") {
            input, arguments, context throws(RenderError) in
            try format(input, arguments, context, as: .date)
        },
        Filter("datetime", arity: 0...1, summary: "datetime, datetime('short'|'iso') or datetime('dd/MM/yyyy HH:mm')") {
            input, arguments, context throws(RenderError) in
            try format(input, arguments, context, as: .dateTime)
        },
        Filter("time", arity: 0...1, summary: "time, time('medium'|'iso') or time('HH:mm')") {
            input, arguments, context throws(RenderError) in
            try format(input, arguments, context, as: .time)
        },
    ]

    static let styles: [String: DateFormatter.Style] = [
        "short": .short, "medium": .medium, "long": .long, "full": .full, "none": .none,
    ]

    static func format(_ input: Value, _ arguments: FilterArguments, _ context: FilterContext,
                       as wanted: CalendarValue.Kind) throws(RenderError) -> Value {
        let text: String
        switch input {
        case .null: return .null
        case .string(let s): text = s
        default: throw context.wrongInput(input, expected: "ISO 8601 text")
        }
        guard let value = CalendarValue.parse(text) else {
            throw context.error("'\(text)' is not an ISO 8601 date (YYYY-MM-DD), date-time with offset "
                                + "(YYYY-MM-DDTHH:MM:SS+01:00) or time (HH:MM)")
        }
        switch (wanted, value.kind) {
        case (.dateTime, .time): throw context.error("'\(text)' is a time of day, not a date-time")
        case (.date, .time): throw context.error("'\(text)' is a time of day, not a date")
        case (.time, .date): throw context.error("'\(text)' is a date without a time")
        default: break
        }
        let style = try context.string(arguments, 0) ?? (wanted == .time ? "short" : "medium")
        // Date-times show in the document's zone; dates and times of day are wall-clock values, shown as written.
        let zone = value.kind == .dateTime ? context.format.timeZone : "UTC"
        guard TimeZone(identifier: zone) != nil else {
            throw context.error("unknown time zone '\(zone)'")
        }
        let key: [String]
        if style == "iso" {
            let pattern = switch wanted {
            case .date: "yyyy-MM-dd"
            case .time: value.second == 0 && value.kind == .time ? "HH:mm" : "HH:mm:ss"
            case .dateTime: "yyyy-MM-dd'T'HH:mm:ssxxx"
            }
            key = ["pattern", pattern, "en_US_POSIX", zone]
        } else if styles[style] != nil {
            let dateStyle = wanted == .time ? "none" : style
            // A medium date-time reads best with a short time: "20 Mar 2025, 14:07" rather than "14:07:31".
            let timeStyle = wanted == .date ? "none" : (wanted == .dateTime && style == "medium" ? "short" : style)
            key = ["style", dateStyle, timeStyle, context.format.locale, zone]
        } else {
            key = ["pattern", style, context.format.locale, zone]
        }
        let formatter = SharedFormatters.dates.formatter(for: key) { makeFormatter(key) }
        return .string(formatter.string(from: Date(timeIntervalSince1970: value.epochSeconds)))
    }

    static func makeFormatter(_ key: [String]) -> LockedDateFormatter {
        LockedDateFormatter { makeDateFormatter(key) }
    }

    static func makeDateFormatter(_ key: [String]) -> DateFormatter {
        let formatter = DateFormatter()
        if key[0] == "style" {
            formatter.locale = SharedFormatters.locale(key[3])
            formatter.timeZone = TimeZone(identifier: key[4])
            formatter.dateStyle = styles[key[1]] ?? .none
            formatter.timeStyle = styles[key[2]] ?? .none
        } else {
            formatter.locale = SharedFormatters.locale(key[2])
            formatter.timeZone = TimeZone(identifier: key[3])
            if key[2] == "en_US_POSIX" { formatter.calendar = Calendar(identifier: .gregorian) }
            formatter.dateFormat = key[1]
        }
        return formatter
    }
}
