/// A date, date-time or time of day read from ISO 8601 text in the data.
///
/// Accepted forms: `YYYY-MM-DD`; `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)` (the offset is required, as the samples'
/// convention says); `HH:MM[:SS]`. Calendar validity is checked (no 30 February).
struct CalendarValue: Sendable, Hashable {
    enum Kind: Sendable { case date, dateTime, time }

    var kind: Kind
    var year = 1970, month = 1, day = 1
    var hour = 0, minute = 0, second = 0
    var nanosecond = 0
    /// Seconds east of UTC, for date-times.
    var offsetSeconds = 0

    /// Seconds since 1970-01-01T00:00:00Z. A date is its midnight in UTC; a time is on 1970-01-01 in UTC.
    var epochSeconds: Double {
        let days = CalendarValue.daysFromCivil(year, month, day)
        let local = Double(days * 86_400 + hour * 3600 + minute * 60 + second) + Double(nanosecond) / 1e9
        return local - Double(offsetSeconds)
    }

    static func parse(_ text: String) -> CalendarValue? {
        let b = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var value = 0
            for i in start..<start + count {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                value = value * 10 + Int(b[i] - 0x30)
            }
            return value
        }
        // Time of day.
        if b.count == 5 || b.count == 8, b.count > 2, b[2] == UInt8(ascii: ":") {
            guard let h = digits(0, 2), let m = digits(3, 2), h < 24, m < 60 else { return nil }
            var value = CalendarValue(kind: .time, hour: h, minute: m)
            if b.count == 8 {
                guard b[5] == UInt8(ascii: ":"), let s = digits(6, 2), s < 60 else { return nil }
                value.second = s
            }
            return value
        }
        guard b.count >= 10, let y = digits(0, 4), b[4] == UInt8(ascii: "-"), let mo = digits(5, 2),
              b[7] == UInt8(ascii: "-"), let d = digits(8, 2), (1...12).contains(mo),
              (1...daysIn(month: mo, year: y)).contains(d) else { return nil }
        var value = CalendarValue(kind: .date, year: y, month: mo, day: d)
        if b.count == 10 { return value }
        guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              let h = digits(11, 2), b.count > 13, b[13] == UInt8(ascii: ":"), let mi = digits(14, 2),
              h < 24, mi < 60 else { return nil }
        value.kind = .dateTime
        value.hour = h
        value.minute = mi
        var i = 16
        if i < b.count, b[i] == UInt8(ascii: ":") {
            guard let s = digits(i + 1, 2), s <= 60 else { return nil }
            value.second = min(s, 59)
            i += 3
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                var fraction = 0, scale = 100_000_000, count = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                    if count < 9 { fraction += Int(b[i] - 0x30) * scale; scale /= 10 }
                    count += 1
                    i += 1
                }
                guard count > 0 else { return nil }
                value.nanosecond = fraction
            }
        }
        guard i < b.count else { return nil }  // the offset is required
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            guard i + 1 == b.count else { return nil }
            return value
        }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), let oh = digits(i + 1, 2), oh <= 18 else {
            return nil
        }
        var om = 0
        if i + 3 == b.count {
            om = 0
        } else if i + 6 == b.count, b[i + 3] == UInt8(ascii: ":"), let m = digits(i + 4, 2), m < 60 {
            om = m
        } else if i + 5 == b.count, let m = digits(i + 3, 2), m < 60 {
            om = m
        } else {
            return nil
        }
        value.offsetSeconds = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
        return value
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
