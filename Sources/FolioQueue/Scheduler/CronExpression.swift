import Foundation

/// A cron expression: five fields (`minute hour day-of-month month day-of-week`) or six with seconds first, each a `*`, a
/// value, a range `a-b`, a step `*/n`, `a-b/n` or `a/n`, or a comma list of those; month and weekday names (`jan`, `mon`);
/// weekday 0 or 7 for Sunday; macros `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly`. When both day fields are
/// restricted a day matches either, as in classic cron. Evaluated in a time zone, so `0 9 * * mon-fri` means 09:00 local.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    let seconds, minutes, hours, days, months, weekdays: Set<Int>
    let daysRestricted, weekdaysRestricted: Bool
    public let timeZone: TimeZone

    public init(_ expression: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) throws {
        let macros = ["@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
                      "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"]
        let text = macros[expression.trimmingCharacters(in: .whitespaces).lowercased()] ?? expression
        var fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String($0).lowercased() }
        guard fields.count == 5 || fields.count == 6 else {
            throw QueueError(.invalidConfiguration, "cron expression \"\(expression)\" needs 5 fields (or 6 with seconds), has \(fields.count)")
        }
        if fields.count == 5 { fields.insert("0", at: 0) }
        let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        source = expression
        self.timeZone = timeZone
        seconds = try Self.field(fields[0], 0...59, "second", expression)
        minutes = try Self.field(fields[1], 0...59, "minute", expression)
        hours = try Self.field(fields[2], 0...23, "hour", expression)
        days = try Self.field(fields[3], 1...31, "day of month", expression)
        months = try Self.field(fields[4], 1...12, "month", expression, names: monthNames, nameBase: 1)
        var wd = try Self.field(fields[5], 0...7, "day of week", expression, names: dayNames, nameBase: 0)
        if wd.contains(7) { wd.remove(7); wd.insert(0) }
        weekdays = wd
        daysRestricted = fields[3] != "*" && fields[3] != "?"
        weekdaysRestricted = fields[5] != "*" && fields[5] != "?"
    }

    public var description: String { source }

    static func field(_ text: String, _ range: ClosedRange<Int>, _ what: String, _ expression: String,
                      names: [String] = [], nameBase: Int = 0) throws -> Set<Int> {
        func bad(_ why: String) -> QueueError {
            QueueError(.invalidConfiguration, "cron expression \"\(expression)\": \(what) field \"\(text)\" \(why)")
        }
        func value(_ s: String) throws -> Int {
            if let i = names.firstIndex(of: s) { return i + nameBase }
            guard let v = Int(s), range.contains(v) else { throw bad("has \(s), outside \(range.lowerBound)–\(range.upperBound)") }
            return v
        }
        var out: Set<Int> = []
        for part in text.split(separator: ",").map(String.init) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard pieces.count <= 2 else { throw bad("has more than one step") }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else { throw bad("has an invalid step \(pieces[1])") }
                step = s
            }
            var lo = range.lowerBound, hi = range.upperBound
            if pieces[0] == "*" || pieces[0] == "?" {
            } else if pieces[0].contains("-") {
                let ends = pieces[0].split(separator: "-").map(String.init)
                guard ends.count == 2 else { throw bad("has an invalid range") }
                lo = try value(ends[0]); hi = try value(ends[1])
                guard lo <= hi else { throw bad("has a backwards range") }
            } else {
                lo = try value(pieces[0])
                hi = pieces.count == 2 ? range.upperBound : lo
            }
            out.formUnion(stride(from: lo, through: hi, by: step))
        }
        if out.isEmpty { throw bad("matches nothing") }
        return out
    }

    /// The first matching moment strictly after `date`, or `nil` if none within about five years.
    public func next(after date: Date) -> Date? {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        var t = Date(timeIntervalSince1970: (date.timeIntervalSince1970 + 1).rounded(.down))
        for _ in 0..<200_000 {
            let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: t)
            guard let year = c.year, let month = c.month, let day = c.day, let hour = c.hour, let minute = c.minute,
                  let second = c.second, let weekday = c.weekday else { return nil }
            if year > 9999 { return nil }
            if !months.contains(month) {
                t = cal.date(from: DateComponents(year: year, month: month + 1, day: 1)) ?? t.addingTimeInterval(86400)
                continue
            }
            if !dayMatches(day: day, weekday: weekday - 1) {
                t = cal.date(byAdding: .day, value: 1, to: cal.startOfDay(for: t)) ?? t.addingTimeInterval(86400)
                continue
            }
            if !hours.contains(hour) {
                t = t.addingTimeInterval(Double(3600 - minute * 60 - second))
                continue
            }
            if !minutes.contains(minute) {
                t = t.addingTimeInterval(Double(60 - second))
                continue
            }
            if !seconds.contains(second) {
                t = t.addingTimeInterval(1)
                continue
            }
            return t
        }
        return nil
    }

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): days.contains(day) || weekdays.contains(weekday)
        case (true, false): days.contains(day)
        case (false, true): weekdays.contains(weekday)
        case (false, false): true
        }
    }
}
