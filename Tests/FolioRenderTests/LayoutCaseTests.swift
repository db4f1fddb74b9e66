import Foundation
import Testing
@testable import FolioRender

/// Named layout cases, one per edge, checked on real PDFs with poppler (the Typst manner: one case, one edge).
@Suite struct LayoutCaseTests {
    /// A table template with a running header, page numbers and carried-forward subtotals.
    static let tableTemplate = """
        page: {size: A4, margins: 15mm}
        styles:
          base: {font: DejaVu Sans, size: 9}
        header:
          - {text: "ACME TABLE HEADER", size: 8}
        footer:
          - {text: "Page {{ page }} of {{ pages }}", align: right, size: 8}
        body:
          - {text: "Before the table", space_after: 2mm}
          - table:
              columns: [{width: 20mm}, "*", {width: 30mm, align: right}]
              header: [["No", "Description", "Amount"]]
              rows:
                - each: row in rows
                  cells: ["{{ row.n }}", "{{ row.text }}", "{{ row.amount }}"]
              carry:
                value: row.amount
                forward: [{text: "Carried forward", colspan: 2}, "{{ carried }}"]
                brought: [{text: "Brought forward", colspan: 2}, "{{ carried }}"]
              footer: [[{text: "Total", colspan: 2}, "{{ rows | sum('amount') }}"]]
        """

    static func rows(_ count: Int, text: (Int) -> String = { "Item \($0)" }) -> Value {
        let rows = (1...max(1, count)).prefix(count).map { n in
            Value.object(ValueObject([("n", .integer(Int64(n))), ("text", .string(text(n))), ("amount", .integer(Int64(n * 100)))]))
        }
        return .object(ValueObject([("rows", .array(rows))]))
    }

    @Test("header repeats, every row exactly once, page X of Y on every page")
    func headerRepeatsAndRowsOnce() throws {
        let document = try Harness.pdf(try Harness.template(Self.tableTemplate), Self.rows(150))
        let pdf = document.files[0]
        let pages = Int(try Poppler.info(pdf)["Pages"]!)!
        #expect(pages == document.pageCount)
        #expect(pages >= 3)
        for page in 1...pages {
            let text = try Poppler.text(pdf, page: page)
            #expect(text.contains("ACME TABLE HEADER"), "page \(page)")
            #expect(text.contains("Description"), "table header on page \(page)")
            #expect(text.contains("Page \(page) of \(pages)"), "page \(page)")
        }
        let words = try Poppler.words(pdf).map(\.text)
        for n in 1...150 { #expect(words.filter { $0 == "Item" }.count == 150 && words.contains("\(n * 100)"), "row \(n)") }
    }

    @Test("carried forward at a page foot equals brought forward at the next head and the running sum")
    func carriedForward() throws {
        let pdf = try Harness.pdf(try Harness.template(Self.tableTemplate), Self.rows(120)).files[0]
        let pages = Int(try Poppler.info(pdf)["Pages"]!)!
        var running = 0
        for page in 1...pages {
            let lines = try Poppler.text(pdf, page: page).split(separator: "\n").map(String.init)
            for line in lines {
                let fields = line.split(separator: " ").map(String.init)
                guard let first = fields.first, let n = Int(first), fields.count >= 3, fields[1] == "Item" else { continue }
                running += n * 100
            }
            let carried = lines.first { $0.contains("Carried forward") }
            if page < pages {
                let value = carried.flatMap { $0.split(separator: " ").last }.flatMap { Int($0) }
                #expect(value == running, "page \(page): carried \(String(describing: value)) vs sum \(running)")
                let next = try Poppler.text(pdf, page: page + 1)
                #expect(next.contains("Brought forward"), "page \(page + 1)")
                let brought = next.split(separator: "\n").first { $0.contains("Brought forward") }
                    .flatMap { $0.split(separator: " ").last }.flatMap { Int($0) }
                #expect(brought == running)
            } else {
                #expect(carried == nil, "no carried forward after the last row")
                #expect(lines.contains { $0.contains("Total") && $0.contains("\(120 * 121 / 2 * 100)") })
            }
        }
    }

    @Test("a row at the page boundary moves whole to the next page")
    func rowAtPageBoundary() throws {
        let template = try Harness.template("""
            page: {size: A6, margins: 10mm}
            body:
              - spacer: 118mm
              - table:
                  columns: ["*"]
                  rows:
                    - ["first line of a three line row\\nsecond line\\nthird line"]
            """)
        let pdf = try Harness.pdf(template, .object(ValueObject())).files[0]
        let words = try Poppler.words(pdf)
        let pages = Set(words.filter { ["first", "second", "third"].contains($0.text) }.map(\.page))
        #expect(pages == [2], "all three lines together on page 2, found on \(pages)")
    }

    @Test("an empty table renders its header and footer")
    func emptyTable() throws {
        let document = try Harness.pdf(try Harness.template(Self.tableTemplate),
                                       .object(ValueObject([("rows", .array([]))])))
        #expect(document.pageCount == 1)
        let text = try Poppler.text(document.files[0])
        #expect(text.contains("Description"))
        #expect(text.contains("Total"))
        #expect(!text.contains("Carried forward"))
    }

    @Test("a word longer than its column wraps inside the column")
    func longWord() throws {
        let template = try Harness.template("""
            page: {size: A4, margins: 20mm}
            body:
              - table:
                  columns: [{width: 30mm}, "*"]
                  borders: all
                  rows:
                    - ["{{ word }}", "next column"]
            """)
        let word = String(repeating: "Supercalifragilistic", count: 8)
        let pdf = try Harness.pdf(template, .object(ValueObject([("word", .string(word))]))).files[0]
        let words = try Poppler.words(pdf)
        let columnRight = Length.mm(20).points + Length.mm(30).points
        let pieces = words.filter { $0.xMin < columnRight - 1 }
        #expect(pieces.count > 3, "the word is broken across several lines")
        for piece in pieces { #expect(piece.xMax <= columnRight + 0.5, "\(piece.text) ends at \(piece.xMax)") }
        let joined = pieces.map(\.text).joined().replacingOccurrences(of: "-", with: "")
        #expect(joined == word)
        #expect(words.contains { $0.text == "next" && $0.xMin >= columnRight })
    }

    @Test("right-to-left and mixed-script names shape with the shipped fonts")
    func rightToLeftNames() throws {
        let template = try Harness.template("""
            body:
              - text: "Patient: {{ name }}"
              - text: "{{ hebrew }} · Rx -2.25 / -0.75 × 180"
              - text: "{{ chinese }} {{ greek }}"
            """)
        let data = try Harness.json(#"{"name": "فاطمة الزهراء", "hebrew": "דוד כהן", "chinese": "王小明", "greek": "Αθηνά"}"#)
        let document = try Harness.pdf(template, data)
        #expect(document.warnings.isEmpty, "\(document.warnings)")
        let text = try Poppler.text(document.files[0], layout: false)
        for fragment in ["الزهراء", "כהן", "王小明", "Αθηνά", "-2.25"] {
            #expect(text.contains(fragment), "\(fragment) in \(text)")
        }
        let fonts = try Poppler.run("pdffonts", arguments: ["-"], input: document.files[0])
        #expect(fonts.contains("DroidSansFallback"), "CJK falls back to the shipped Droid Sans Fallback")
        let rows = fonts.split(separator: "\n").dropFirst(2)
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(" yes yes ") }, "every font embedded and subset: \(fonts)")
    }

    @Test("a character no shipped font has is reported, not drawn silently")
    func missingGlyph() throws {
        let template = try Harness.template("body:\n  - text: \"A \\uE000 B\"\n")
        let document = try Harness.pdf(template, .object(ValueObject()))
        #expect(document.warnings.contains { $0.contains("no glyph") })
    }

    @Test("a roll receipt is one page exactly as tall as its content")
    func rollHeight() throws {
        let template = try Harness.template("""
            page: {size: 80mm-roll, margins: 4mm}
            body:
              - each: item in items
                text: "{{ item }}"
            """)
        func height(_ count: Int) throws -> (Int, Double, Double) {
            let items = Value.array((0..<count).map { .string("Item \($0)") })
            let document = try Harness.pdf(template, .object(ValueObject([("items", items)])))
            let size = try Poppler.pageSizes(document.files[0])[0]
            return (document.pageCount, size.0, size.1)
        }
        let short = try height(5), long = try height(200)
        #expect(short.0 == 1 && long.0 == 1)
        #expect(abs(short.1 - Length.mm(80).points) < 0.5)
        #expect(long.2 > short.2 * 20)
        #expect(short.2 < Length.mm(50).points)
    }

    @Test("page, pages and page breaks")
    func pageBreaksAndNumbers() throws {
        let template = try Harness.template("""
            body:
              - text: "one of {{ pages }}"
              - page_break: true
              - text: "this is page {{ page }} of {{ pages }}"
            """)
        let pdf = try Harness.pdf(template, .object(ValueObject())).files[0]
        #expect(try Poppler.text(pdf, page: 1).contains("one of 2"))
        #expect(try Poppler.text(pdf, page: 2).contains("this is page 2 of 2"))
    }

    @Test("keep_with_next keeps a heading with its paragraph")
    func keepWithNext() throws {
        let template = try Harness.template("""
            page: {size: A6, margins: 10mm}
            body:
              - spacer: 100mm
              - {text: "HEADING", keep_with_next: true}
              - {text: "The paragraph under the heading, long enough to need a few lines of its own on a small page."}
            """)
        let words = try Poppler.words(try Harness.pdf(template, .object(ValueObject())).files[0])
        let heading = words.first { $0.text == "HEADING" }
        let paragraph = words.first { $0.text == "paragraph" }
        #expect(heading?.page == paragraph?.page)
    }

    @Test("a table row taller than a page splits cleanly instead of looping or vanishing")
    func rowTallerThanPage() throws {
        let template = try Harness.template("""
            page: {size: A6, margins: 10mm}
            body:
              - table:
                  columns: [20mm, "*"]
                  header: [["Key", "Long text"]]
                  rows:
                    - ["tall", "{{ text }}"]
                    - ["after", "the next row"]
            """)
        let text = (1...120).map { "word\($0)" }.joined(separator: " ")
        let document = try Harness.pdf(template, .object(ValueObject([("text", .string(text))])))
        #expect(document.pageCount >= 2)
        let words = try Poppler.words(document.files[0]).map(\.text)
        for n in 1...120 { #expect(words.filter { $0 == "word\(n)" }.count == 1, "word\(n)") }
        #expect(words.contains("after"))
    }

    @Test("absolute elements land at their coordinates")
    func absolutePosition() throws {
        let template = try Harness.template("""
            page: {size: A4, margins: 20mm}
            body:
              - absolute: {x: 100mm, y: 150mm, width: 50mm, from: page, content: [PINNED]}
              - text: "flow text"
            """)
        let words = try Poppler.words(try Harness.pdf(template, .object(ValueObject())).files[0])
        let pinned = try #require(words.first { $0.text == "PINNED" })
        #expect(abs(pinned.xMin - Length.mm(100).points) < 1.5)
        #expect(abs(pinned.yMin - Length.mm(150).points) < 4)
        #expect(words.first { $0.text == "flow" }.map { abs($0.yMin - Length.mm(20).points) < 4 } == true)
    }

    @Test("markup-like text in data prints literally")
    func markupInDataIsText() throws {
        let template = try Harness.template("body:\n  - text: \"[b]Name:[/b] {{ name }}\"\n")
        let name = "<b>Bob</b> & [i]Alice[/i] <span foreground='red'>x</span>"
        let text = try Poppler.text(try Harness.pdf(template, .object(ValueObject([("name", .string(name))]))).files[0],
                                    layout: false)
        #expect(text.contains(name), "\(text)")
    }

    @Test("same template, data and creation date: byte-identical PDF")
    func deterministic() throws {
        let template = try Harness.template(Self.tableTemplate)
        let first = try Harness.pdf(template, Self.rows(60)).files[0]
        let second = try Harness.pdf(template, Self.rows(60)).files[0]
        #expect(first == second)
        #expect(try Poppler.info(first)["CreationDate"]?.contains("2025") == true)
    }

    @Test("PNG and SVG output, one file per page")
    func rasterAndVector() throws {
        let template = try Harness.template(Self.tableTemplate)
        let png = try Harness.renderer.render(template, data: Self.rows(120), options: RenderOptions(format: .png, dpi: 50))
        #expect(png.files.count == png.pageCount)
        #expect(png.files.allSatisfy { Array($0.prefix(4)) == [0x89, 0x50, 0x4E, 0x47] })
        let one = try Harness.renderer.render(template, data: Self.rows(120), options: RenderOptions(format: .svg, pages: [2]))
        #expect(one.files.count == 1)
        #expect(String(decoding: one.files[0], as: UTF8.self).contains("<svg"))
    }
}
