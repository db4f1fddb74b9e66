/// Breaks the bound body into pages, then lays out each page's header and footer once the page count is known.
struct Paginator {
    let template: Template
    let binder: Binder
    let context: LayoutContext
    let size: PageSize
    let scope: Scope

    func paginate() throws(RenderError) -> [PageLayout] {
        let body = try binder.stack(template.body, scope: scope)
        let contentWidth = size.width - template.page.margins.horizontal
        guard contentWidth > 20 else {
            throw RenderError(.templateInvalid, "the margins leave \(Int(contentWidth))pt of width on the page",
                              location: SourceLocation(file: template.file))
        }
        var pages: [PageLayout] = []
        var rest: (any Block)? = body
        // Band heights are measured once for the first page and once for the others, not on every page.
        var bandHeights: [Bool: (Double, Double)] = [:]
        while let block = rest {
            try context.checkTime()
            let number = pages.count + 1
            guard number <= context.limits.maxPages else {
                throw RenderError(.pageLimit, "the document needs more than \(context.limits.maxPages) pages; "
                                  + "the limit is a setting (pages)")
            }
            let margins = margins(page: number)
            let width = size.width - margins.horizontal
            let isFirst = number == 1
            var heights: (Double, Double)
            if let known = bandHeights[isFirst] {
                heights = known
            } else {
                heights = (try bandHeight(header(page: number), width: width, gap: template.page.headerGap),
                           try bandHeight(footer(page: number), width: width, gap: template.page.footerGap))
                bandHeights[isFirst] = heights
            }
            let (headerHeight, footerHeight) = heights
            let bodyTop = margins.top + headerHeight
            let available = size.height.map { $0 - margins.vertical - headerHeight - footerHeight }
                ?? .greatestFiniteMagnitude
            guard available > 10 else {
                throw RenderError(.templateInvalid, "header, footer and margins leave no room for the body",
                                  location: SourceLocation(file: template.file))
            }
            let fragment: Fragment
            switch try block.layout(width: width, available: available, atTop: true, context: context) {
            case .whole(let f): fragment = f; rest = nil
            case .part(let f, let remainder): fragment = f; rest = remainder
            case .none: fragment = Fragment(height: 0); rest = nil
            }
            let pageHeight = size.height ?? (bodyTop + fragment.height + footerHeight + margins.bottom)
            pages.append(PageLayout(width: size.width, height: pageHeight, margins: margins, body: fragment,
                                    bodyTop: bodyTop))
        }
        for (index, page) in pages.enumerated() {
            var pageScope = scope
            pageScope.page = index + 1
            pageScope.pages = pages.count
            let width = page.width - page.margins.horizontal
            page.header = try band(header(page: index + 1), width: width, scope: pageScope)
            if let footer = try band(footer(page: index + 1), width: width, scope: pageScope) {
                page.footer = footer
                page.footerTop = page.height - page.margins.bottom - footer.height
            }
        }
        return pages
    }

    private func margins(page: Int) -> Insets {
        page == 1 ? template.firstPage?.margins ?? template.page.margins : template.page.margins
    }

    private func header(page: Int) -> [Element] {
        page == 1 ? template.firstPage?.header ?? template.header : template.header
    }

    private func footer(page: Int) -> [Element] {
        page == 1 ? template.firstPage?.footer ?? template.footer : template.footer
    }

    /// Height a header or footer takes, measured with placeholder page numbers, plus its gap to the body.
    private func bandHeight(_ elements: [Element], width: Double, gap: Double) throws(RenderError) -> Double {
        guard !elements.isEmpty else { return 0 }
        var measuring = scope
        measuring.page = 1
        measuring.pages = 1
        guard let fragment = try band(elements, width: width, scope: measuring) else { return 0 }
        return fragment.height + gap
    }

    private func band(_ elements: [Element], width: Double, scope: Scope) throws(RenderError) -> Fragment? {
        guard !elements.isEmpty else { return nil }
        switch try binder.stack(elements, scope: scope).layout(width: width, available: .greatestFiniteMagnitude,
                                                                 atTop: true, context: context) {
        case .whole(let f), .part(let f, _): return f
        case .none: return nil
        }
    }
}
