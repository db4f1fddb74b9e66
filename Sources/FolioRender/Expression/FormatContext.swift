/// How values are formatted for one document: its locale, time zone and currency.
///
/// Usually taken from the data's `document` block (`locale`, `timezone`, `currency`, `currency_minor_unit`) by the caller;
/// the expression layer never reads the environment.
public struct FormatContext: Sendable, Hashable {
    /// BCP 47 locale identifier, e.g. `en-GB`, `de-DE`, `ja-JP`.
    public var locale: String
    /// IANA time zone identifier; datetimes are shown in this zone. Dates (`YYYY-MM-DD`) are never shifted.
    public var timeZone: String
    /// ISO 4217 code used by `money` when no code is given.
    public var currency: String?
    /// Digits after the decimal point of `currency`'s minor unit (2 for GBP, 0 for JPY). Nil: 2, or 0 for the
    /// currencies that have none (JPY, KRW, …).
    public var currencyMinorUnit: Int?
    /// Whether the optical filters (`diopter`, `axis`, `prism`, `pd`, `mm`) use the locale's decimal separator
    /// (`-2,25` in de-DE). Lab tickets keep `.` like the machine data (the default); patient documents may localise.
    public var localizeOpticalDecimals: Bool
    /// What `diopter`/`sphere` print for zero: `PL` by default.
    public var planoText: String

    public init(locale: String = "en-GB", timeZone: String = "UTC", currency: String? = nil,
                currencyMinorUnit: Int? = nil, localizeOpticalDecimals: Bool = false, planoText: String = "PL") {
        self.locale = locale
        self.timeZone = timeZone
        self.currency = currency
        self.currencyMinorUnit = currencyMinorUnit
        self.localizeOpticalDecimals = localizeOpticalDecimals
        self.planoText = planoText
    }

    /// The settings a document's data carries in its `document` object (`locale`, `timezone`, `currency`,
    /// `currency_minor_unit`), over `defaults` for whatever it leaves out.
    public init(document: Value?, defaults: FormatContext = .init()) {
        self = defaults
        guard let document else { return }
        if case .string(let locale)? = document["locale"] { self.locale = locale }
        if case .string(let zone)? = document["timezone"] { self.timeZone = zone }
        if case .string(let currency)? = document["currency"] { self.currency = currency }
        if case .integer(let minor)? = document["currency_minor_unit"] { self.currencyMinorUnit = Int(minor) }
    }
}
