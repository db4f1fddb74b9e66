import Foundation

/// `money` and `amount`: integer minor units (pence, cents) as currency in the document's locale.
///
/// Amounts are never floating point: `12345` minor units with 2 digits is exactly `123.45`, formatted by CLDR
/// (`£123.45`, `123,45 €`, `￥12,345`).
enum MoneyFilter {
    static let all: [Filter] = [
        Filter("money", arity: 0...2,
               summary: "money, money('EUR') or money('JPY', 0): integer minor units as currency") {
            input, arguments, context throws(RenderError) in
            guard let (decimal, code, digits) = try amount(input, arguments, context) else { return .null }
            let formatter = SharedFormatters.number(.currency, locale: context.format.locale, currency: code,
                                                    minimum: digits, maximum: digits)
            return .string(formatter.string(from: decimal))
        },
        Filter("amount", arity: 0...2,
               summary: "amount: integer minor units as a grouped number without the currency symbol") {
            input, arguments, context throws(RenderError) in
            guard let (decimal, _, digits) = try amount(input, arguments, context) else { return .null }
            let formatter = SharedFormatters.number(locale: context.format.locale, minimum: digits, maximum: digits)
            return .string(formatter.string(from: decimal))
        },
    ]

    /// The amount as a decimal in major units, with its currency and digits; nil for null input.
    static func amount(_ input: Value, _ arguments: FilterArguments,
                       _ context: FilterContext) throws(RenderError) -> (Decimal, String, Int)? {
        let minor: Int64
        switch input {
        case .null: return nil
        case .integer(let i): minor = i
        case .number(let d) where d == d.rounded() && abs(d) < 9e15: minor = Int64(d)
        case .number:
            throw context.error("expected integer minor units (e.g. 12345 for 123.45), found the decimal "
                                + "\(input.plainText); money is never stored as a fraction")
        default: throw context.wrongInput(input, expected: "integer minor units")
        }
        let code: String
        if let given = try context.string(arguments, 0) {
            code = given.uppercased()
        } else if let contextCode = context.format.currency {
            code = contextCode.uppercased()
        } else {
            throw context.error("no currency: write \(context.name)('GBP') or set document.currency in the data")
        }
        guard code.count == 3, code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw context.error("'\(code)' is not an ISO 4217 currency code")
        }
        let digits: Int
        if let given = arguments[1], given != .null {
            digits = try context.integer(arguments, 1, default: 2)
        } else if code == context.format.currency?.uppercased(), let contextDigits = context.format.currencyMinorUnit {
            digits = contextDigits
        } else {
            digits = defaultMinorUnit(code)
        }
        guard (0...4).contains(digits) else { throw context.error("the minor unit must be 0 to 4 digits, found \(digits)") }
        return (Decimal(sign: minor < 0 ? .minus : .plus, exponent: -digits, significand: Decimal(minor.magnitude)),
                code, digits)
    }

    /// ISO 4217 minor units for the currencies that do not use 2.
    static func defaultMinorUnit(_ code: String) -> Int {
        switch code {
        case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF",
             "XOF", "XPF":
            0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
            3
        default:
            2
        }
    }
}
