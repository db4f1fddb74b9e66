/// A document design, loaded once from `templates/NAME/template.yaml` and shared by every render.
public struct Template: Sendable {
    public var name: String
    public var title: String
    public var description: String?
    public var version: String
    /// The template's folder: images named in the template are read from here and nowhere else.
    public var directory: String
    public var file: String

    public var page: PageSpec
    public var format: FormatSpec
    public var metadata: MetadataSpec
    public var styles: StyleSheet
    public var dataShape: DataShape?
    /// `let:` — named values computed once per render, in order, visible everywhere (`german: "document.locale == 'de-DE'"`).
    public var lets: [(name: String, value: Expression)] = []

    public var header: [Element]
    public var footer: [Element]
    public var firstPage: PageVariant?
    public var watermark: Watermark?
    public var body: [Element]

    /// `sample.json` beside the template, used by `folio preview` without `--data`.
    public var sample: Value?
}

/// Paper and margins. The size may be an expression so that data can choose A4 or Letter.
public struct PageSpec: Sendable {
    public var size: Interpolation
    /// The size as written (`A4`, `{{ document.page_size }}`), for listings.
    public var sizeText: String
    public var orientation: Interpolation?
    public var margins: Insets
    /// Space between the header and the body, and the body and the footer.
    public var headerGap: Double
    public var footerGap: Double
}

/// First-page variants: a different header, footer or margins on page one.
public struct PageVariant: Sendable {
    public var header: [Element]?
    public var footer: [Element]?
    public var margins: Insets?
}

/// Locale, time zone and currency for the formatting filters, usually bound from the data's `document` block.
public struct FormatSpec: Sendable {
    public var locale: Interpolation?
    public var timeZone: Interpolation?
    public var currency: Interpolation?
    public var currencyMinorUnit: Interpolation?
    /// Print optical values with the locale's decimal separator (`-2,25`) instead of the data's `.`.
    public var localizeOpticalDecimals = false
    /// What a zero sphere prints as (`PL`, `Plano`, `plan`).
    public var planoText: String?
}

/// PDF document information.
public struct MetadataSpec: Sendable {
    public var title: Interpolation?
    public var author: Interpolation?
    public var subject: Interpolation?
    public var keywords: Interpolation?
    public var creator: Interpolation?
    /// An ISO 8601 date or datetime; it is what makes output byte-identical run to run.
    public var created: Interpolation?
}

/// Large diagonal text behind (or over) every page: DRAFT, COPY, PAID.
public struct Watermark: Sendable {
    public var text: RichText
    public var condition: Expression?
    public var color: Color
    public var size: Double
    public var angle: Double
}
