import Foundation

/// A thread-safe memo of formatters, which are slow to create and cheap to reuse.
///
/// Keys are small hashable descriptions (locale, currency, digits, pattern…). Entries are never evicted: a
/// process sees a handful of locales and patterns, all written in its templates.
final class FormatterCache<Key: Hashable & Sendable, Formatter>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: Formatter] = [:]

    func formatter(for key: Key, make: () -> Formatter) -> Formatter {
        lock.lock()
        defer { lock.unlock() }
        if let formatter = entries[key] { return formatter }
        let formatter = make()
        entries[key] = formatter
        return formatter
    }
}

/// A `DateFormatter` with the lock that serialises its use (Foundation does not promise that sharing one between
/// threads is safe on every platform).
final class LockedDateFormatter: @unchecked Sendable {
    private let lock = NSLock()
    private let formatter: DateFormatter

    init(_ formatter: DateFormatter) { self.formatter = formatter }

    func string(from date: Date) -> String {
        lock.lock()
        defer { lock.unlock() }
        return formatter.string(from: date)
    }
}

enum SharedFormatters {
    struct NumberKey: Hashable, Sendable {
        var locale: String
        var minimumDigits: Int
        var maximumDigits: Int
        var style: Int  // 0 decimal, 1 percent, 2 currency
        var currency: String
    }

    static let numbers = FormatterCache<NumberKey, Decimal.FormatStyle>()
    static let currencies = FormatterCache<NumberKey, Decimal.FormatStyle.Currency>()
    static let percents = FormatterCache<NumberKey, Decimal.FormatStyle.Percent>()
    static let dates = FormatterCache<[String], LockedDateFormatter>()
    static let decimalSeparators = FormatterCache<String, String>()
    static let locales = FormatterCache<String, Locale>()

    static func locale(_ identifier: String) -> Locale {
        locales.formatter(for: identifier) { Locale(identifier: identifier) }
    }

    /// A decimal number formatter for `locale` with between `minimum` and `maximum` fraction digits, rounding half
    /// away from zero.
    static func number(locale: String, minimum: Int, maximum: Int) -> Decimal.FormatStyle {
        numbers.formatter(for: NumberKey(locale: locale, minimumDigits: minimum, maximumDigits: maximum, style: 0,
                                         currency: "")) {
            Decimal.FormatStyle(locale: self.locale(locale))
                .precision(.fractionLength(minimum...maximum))
                .rounded(rule: .toNearestOrAwayFromZero)
        }
    }

    static func currency(_ code: String, locale: String, digits: Int) -> Decimal.FormatStyle.Currency {
        currencies.formatter(for: NumberKey(locale: locale, minimumDigits: digits, maximumDigits: digits, style: 2,
                                            currency: code)) {
            Decimal.FormatStyle.Currency(code: code, locale: self.locale(locale))
                .precision(.fractionLength(digits))
                .rounded(rule: .toNearestOrAwayFromZero)
        }
    }

    static func percent(locale: String, minimum: Int, maximum: Int) -> Decimal.FormatStyle.Percent {
        percents.formatter(for: NumberKey(locale: locale, minimumDigits: minimum, maximumDigits: maximum, style: 1,
                                          currency: "")) {
            Decimal.FormatStyle.Percent(locale: self.locale(locale))
                .precision(.fractionLength(minimum...maximum))
                .rounded(rule: .toNearestOrAwayFromZero)
        }
    }

    static func decimalSeparator(locale: String) -> String {
        decimalSeparators.formatter(for: locale) { self.locale(locale).decimalSeparator ?? "." }
    }

    /// The exact decimal a double was written as (`2.31`, not `2.3099999…`).
    static func decimal(_ d: Double) -> Decimal {
        let text = d.description
        if !text.contains("e"), let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) {
            return decimal
        }
        return Decimal(d)
    }
}
