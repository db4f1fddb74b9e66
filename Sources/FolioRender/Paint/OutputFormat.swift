/// What a render produces.
public enum OutputFormat: String, Sendable, CaseIterable {
    case pdf, png, svg

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .png: "image/png"
        case .svg: "image/svg+xml"
        }
    }
}

/// How to render: format, raster resolution, which pages, the creation date that makes PDFs reproducible, and limits.
public struct RenderOptions: Sendable {
    public var format: OutputFormat
    /// Dots per inch for PNG.
    public var dpi: Double
    /// 1-based pages to produce for PNG and SVG (one file each); nil for all. PDF always holds every page.
    public var pages: [Int]?
    /// ISO 8601 date or datetime written as the PDF's creation date. Without it (and without the template's
    /// `metadata.created`), the current time is used and output is not byte-identical between runs.
    public var creationDate: String?
    public var limits: RenderLimits

    public init(format: OutputFormat = .pdf, dpi: Double = 150, pages: [Int]? = nil, creationDate: String? = nil,
                limits: RenderLimits = RenderLimits()) {
        self.format = format
        self.dpi = dpi
        self.pages = pages
        self.creationDate = creationDate
        self.limits = limits
    }
}

/// The output of one render.
public struct RenderedDocument: Sendable {
    public var format: OutputFormat
    /// One PDF, or one PNG/SVG per selected page.
    public var files: [[UInt8]]
    public var pageCount: Int
    /// Page sizes in points, for `pdfinfo`-style checks and the API.
    public var pageSizes: [(width: Double, height: Double)]
    /// Things a person should know but that did not stop the render (missing glyphs…).
    public var warnings: [String]
}

/// PDF document information, bound from the template's `metadata`.
struct DocumentInfo {
    var title: String?
    var author: String?
    var subject: String?
    var keywords: String?
    var creator: String
    var created: String?
}
