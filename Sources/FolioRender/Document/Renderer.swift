import Foundation

/// Renders templates with data. Thread-safe: any number of renders may run at once, one per thread.
public final class Renderer: Sendable {
    public let fonts: FontLibrary

    public init(fonts: FontLibrary) {
        self.fonts = fonts
    }

    /// Checks data against the template's declared shape, listing every problem by JSON path.
    public func validate(_ template: Template, data: Value) throws(RenderError) {
        guard let shape = template.dataShape else { return }
        do { try shape.validate(data) } catch {
            var error = error
            error.message = "template '\(template.name)': " + error.message
            throw error
        }
    }

    /// Validates, binds, lays out and paints. Synchronous and CPU-bound: call it off the async executors.
    public func render(_ template: Template, data: Value, options: RenderOptions = RenderOptions()) throws(RenderError) -> RenderedDocument {
        try validate(template, data: data)
        let context = LayoutContext(fonts: fonts.threadFonts(), limits: options.limits)
        var scope = Scope(data: data)
        for (name, value) in template.lets { scope = scope.binding(name, to: try value.evaluate(in: scope)) }
        scope.format = try formatContext(template, scope: scope)
        let size = try pageSize(template, scope: scope)
        let binder = Binder(template: template, context: context, assets: AssetResolver(template: template, limits: options.limits))
        let pages = try Paginator(template: template, binder: binder, context: context, size: size, scope: scope).paginate()
        let painter = Painter(context: context)
        var watermark: (RichText, Watermark)?
        if let mark = template.watermark, try mark.condition?.evaluate(in: scope).isTruthy ?? true {
            watermark = (mark.text, mark)
        }
        var files: [[UInt8]] = []
        switch options.format {
        case .pdf:
            files = [try painter.pdf(pages, info: try info(template, scope: scope, options: options), watermark: watermark, scope: scope)]
        case .png, .svg:
            let selected = options.pages ?? Array(1...max(1, pages.count))
            for number in selected {
                guard number >= 1 && number <= pages.count else {
                    throw RenderError(.pageLimit, "page \(number) does not exist; the document has \(pages.count)")
                }
                let page = pages[number - 1]
                files.append(options.format == .png
                    ? try painter.png(page, number: number, of: pages.count, dpi: options.dpi, watermark: watermark, scope: scope)
                    : try painter.svg(page, number: number, of: pages.count, watermark: watermark, scope: scope))
            }
        }
        return RenderedDocument(format: options.format, files: files, pageCount: pages.count,
                                pageSizes: pages.map { ($0.width, $0.height) }, warnings: context.warnings)
    }

    private func formatContext(_ template: Template, scope: Scope) throws(RenderError) -> FormatContext {
        var format = FormatContext()
        format.localizeOpticalDecimals = template.format.localizeOpticalDecimals
        if let plano = template.format.planoText { format.planoText = plano }
        if let locale = try template.format.locale?.render(in: scope), !locale.isEmpty { format.locale = locale }
        if let zone = try template.format.timeZone?.render(in: scope), !zone.isEmpty { format.timeZone = zone }
        if let currency = try template.format.currency?.render(in: scope), !currency.isEmpty { format.currency = currency }
        if let unit = try template.format.currencyMinorUnit?.render(in: scope), let digits = Int(unit) {
            format.currencyMinorUnit = digits
        }
        return format
    }

    private func pageSize(_ template: Template, scope: Scope) throws(RenderError) -> PageSize {
        let text = try template.page.size.render(in: scope)
        guard var size = PageSize(parsing: text.isEmpty ? "A4" : text) else {
            throw RenderError(.dataInvalid, "page size '\(text)' is not known; use A4, A5, Letter, half-letter, "
                              + "80mm-roll, 58mm-roll or WIDTHxHEIGHT")
        }
        if let orientation = try template.page.orientation?.render(in: scope) {
            switch orientation.lowercased() {
            case "landscape": size = size.landscape
            case "portrait", "": break
            default: throw RenderError(.dataInvalid, "orientation '\(orientation)' is portrait or landscape")
            }
        }
        return size
    }

    private func info(_ template: Template, scope: Scope, options: RenderOptions) throws(RenderError) -> DocumentInfo {
        let meta = template.metadata
        var created = options.creationDate
        if created == nil { created = try meta.created?.render(in: scope) }
        return DocumentInfo(
            title: try meta.title?.render(in: scope) ?? template.title,
            author: try meta.author?.render(in: scope), subject: try meta.subject?.render(in: scope),
            keywords: try meta.keywords?.render(in: scope),
            creator: try meta.creator?.render(in: scope) ?? "Folio",
            created: created)
    }
}
