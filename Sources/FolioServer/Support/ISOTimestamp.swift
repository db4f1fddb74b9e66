/// UTC timestamps as ISO 8601 with milliseconds (`2026-11-29T06:34:47.968Z`), written by arithmetic: every status
/// response carries several, and Foundation's formatter (behind a lock, as it is not thread-safe) cost more than the rest
/// of the response.
enum ISOTimestamp {
    static func string(fromMilliseconds ms: Int64) -> String {
        let (days, msOfDay) = ms.quotientAndRemainder(dividingBy: 86_400_000)
        var day = days, rest = msOfDay
        if rest < 0 { rest += 86_400_000; day -= 1 }
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm, proleptic Gregorian calendar).
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func digits(_ n: Int64, _ width: Int) {
            var buffer: [UInt8] = Array(repeating: UInt8(ascii: "0"), count: width)
            var v = n
            for i in stride(from: width - 1, through: 0, by: -1) {
                buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: buffer)
        }
        digits(y, 4); out.append(UInt8(ascii: "-")); digits(m, 2); out.append(UInt8(ascii: "-")); digits(d, 2)
        out.append(UInt8(ascii: "T"))
        digits(rest / 3_600_000, 2); out.append(UInt8(ascii: ":"))
        digits(rest / 60_000 % 60, 2); out.append(UInt8(ascii: ":"))
        digits(rest / 1000 % 60, 2); out.append(UInt8(ascii: "."))
        digits(rest % 1000, 3); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}
