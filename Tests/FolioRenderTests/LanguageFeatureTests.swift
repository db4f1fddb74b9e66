import CPangoCairo
import Foundation
import Testing
@testable import FolioRender

/// Template-language features that templates lean on: let, keep chains, equal-height rows, spans, data-driven barcodes.
@Suite struct LanguageFeatureTests {
    @Test func letValuesAreComputedOnceAndVisibleEverywhere() throws {
        let template = try Harness.template("""
            let:
              german: "locale | truncate(2, '') == 'de'"
              greeting: "german ? 'Guten Tag' : 'Hello'"
            header: ["{{ greeting }} (header)"]
            body: ["{{ greeting }} {{ name }}", "{{ 'age ' + age }}"]
            """)
        let text = try Poppler.text(try Harness.pdf(template, try Harness.json(#"{"locale": "de-DE", "name": "Eva", "age": 61}"#)).files[0])
        #expect(text.contains("Guten Tag (header)"))
        #expect(text.contains("Guten Tag Eva"))
        #expect(text.contains("age 61"))
    }

    @Test("keep_with_next chains: heading, rule and table move together")
    func keepWithNextChain() throws {
        let template = try Harness.template("""
            page: {size: A6, margins: 10mm}
            body:
              - spacer: 100mm
              - {text: "HEADING", keep_with_next: true}
              - {rule: true, keep_with_next: true}
              - table:
                  columns: ["*"]
                  rows: [["first row with enough text to need more room than is left on the page after the heading"]]
            """)
        let words = try Poppler.words(try Harness.pdf(template, .object(ValueObject())).files[0])
        let heading = try #require(words.first { $0.text == "HEADING" })
        let row = try #require(words.first { $0.text == "first" })
        #expect(heading.page == row.page, "heading on \(heading.page), table on \(row.page)")
    }

    @Test func equalHeightBoxesLineUp() throws {
        let template = try Harness.template("""
            body:
              - row:
                  equal_height: true
                  cells:
                    - box: {border: "1pt #000", content: ["short"]}
                    - box: {border: "1pt #000", content: ["one\\ntwo\\nthree\\nfour"]}
            """)
        let png = try Harness.renderer.render(template, data: .object(ValueObject()), options: RenderOptions(format: .png, dpi: 72))
        let page = png.pageSizes[0]
        // Sample a column inside each box (the row splits the content width between two cells).
        let image = png.files[0]
        let left = lowestDarkPixel(in: image, x: Int(page.width * 0.3)) ?? -100
        let right = lowestDarkPixel(in: image, x: Int(page.width * 0.7)) ?? 100
        #expect(abs(left - right) <= 1, "bottom borders at \(left) and \(right)")
    }

    @Test func cellsUnderARowSpanTakeTheirOwnColumnsAlignment() throws {
        let template = try Harness.template("""
            page: {margins: 20mm}
            body:
              - table:
                  columns: [{width: 30mm}, {width: 30mm, align: right}, {width: 30mm, align: right}]
                  borders: all
                  rows:
                    - [{text: "R", rowspan: 2}, "TOPMID", "TOPEND"]
                    - ["LOWMID", "LOWEND"]
            """)
        let words = try Poppler.words(try Harness.pdf(template, .object(ValueObject())).files[0])
        let top = try #require(words.first { $0.text == "TOPEND" }), low = try #require(words.first { $0.text == "LOWEND" })
        #expect(abs(top.xMax - low.xMax) < 1, "both right-aligned in the last column: \(top.xMax) vs \(low.xMax)")
        let mid = try #require(words.first { $0.text == "LOWMID" }), topMid = try #require(words.first { $0.text == "TOPMID" })
        #expect(abs(mid.xMax - topMid.xMax) < 1)
        #expect(low.yMin > top.yMin)
    }

    @Test func barcodeTextAndErrorCorrectionFromData() throws {
        let template = try Harness.template("""
            body:
              - barcode: {type: qr, value: "{{ code.value }}", error_correction: "{{ code.level }}", height: 20mm}
              - barcode: {type: code128, value: "{{ code.value }}", text: "code.human_readable"}
            """)
        let shown = try Poppler.text(try Harness.pdf(template, try Harness.json(#"{"code": {"value": "R0320-000482", "level": "H", "human_readable": true}}"#)).files[0])
        #expect(shown.contains("R0320-000482"))
        let hidden = try Poppler.text(try Harness.pdf(template, try Harness.json(#"{"code": {"value": "R0320-000482", "level": "L", "human_readable": false}}"#)).files[0])
        #expect(!hidden.contains("R0320-000482"))
        #expect { try Harness.pdf(template, try Harness.json(#"{"code": {"value": "x", "level": "Z", "human_readable": false}}"#)) } throws: { error in
            (error as? RenderError)?.code == .barcodeInvalid
        }
    }
}

extension LanguageFeatureTests {
    @Test func opticalDecimalsFollowTheLocaleWhenTheTemplateAsks() throws {
        let data = try Harness.json(#"{"sph": -2.25, "zero": 0}"#)
        let localized = try Harness.template("locale: de-DE\noptical_decimals: locale\nplano: plan\nbody: [\"{{ sph | sphere }} {{ zero | sphere }}\"]\n")
        #expect(try Poppler.text(try Harness.pdf(localized, data).files[0]).contains("-2,25 plan"))
        let dataStyle = try Harness.template("locale: de-DE\nbody: [\"{{ sph | sphere }} {{ zero | sphere }}\"]\n")
        #expect(try Poppler.text(try Harness.pdf(dataStyle, data).files[0]).contains("-2.25 PL"))
    }
}

extension LanguageFeatureTests {
    @Test func maxLinesEndsWithAnEllipsis() throws {
        let template = try Harness.template("page: {margins: 20mm}\nbody:\n  - {text: \"{{ long }}\", max_lines: 2}\n")
        let long = (1...200).map { "word\($0)" }.joined(separator: " ")
        let text = try Poppler.text(try Harness.pdf(template, .object(ValueObject([("long", .string(long))]))).files[0], layout: false)
        #expect(text.contains("…"))
        #expect(!text.contains("word200"))
        #expect(text.split(separator: "\n").filter { $0.contains("word") }.count == 2)
    }

    @Test func watermarkOnEveryPageWhenItsConditionHolds() throws {
        let yaml = "watermark: {text: \"{{ status | upper }}\", if: \"status != 'final'\"}\nbody:\n  - text: one\n  - page_break: true\n  - text: two\n"
        let template = try Harness.template(yaml)
        let draft = try Harness.pdf(template, try Harness.json(#"{"status": "draft"}"#)).files[0]
        for page in 1...2 { #expect(try Poppler.text(draft, raw: true, page: page).contains("DRAFT"), "page \(page)") }
        let final = try Harness.pdf(template, try Harness.json(#"{"status": "final"}"#)).files[0]
        #expect(!(try Poppler.text(final, raw: true).contains("FINAL")))
    }

    @Test func headingsBecomePDFBookmarks() throws {
        let template = try Harness.template("""
            body:
              - {text: "Chapter one", bookmark: 1}
              - {text: "Section one point one", bookmark: 2}
              - page_break: true
              - {text: "Chapter two", bookmark: 1}
            """)
        let pdf = try Harness.pdf(template, .object(ValueObject())).files[0]
        let raw = String(decoding: pdf, as: UTF8.self)
        #expect(raw.contains("/Outlines"))
        for title in ["Chapter one", "Section one point one", "Chapter two"] { #expect(raw.contains(title), "\(title)") }
    }

    @Test func imagesFromTheTemplateFolderAndFromData() throws {
        let fixtures = Repository.root + "/Tests/FolioRenderTests/Fixtures"
        let svg = try #require(FileManager.default.contentsOfDirectory(atPath: fixtures).first { $0.hasSuffix(".svg") })
        let jpeg = try #require(FileManager.default.contentsOfDirectory(atPath: fixtures).first { $0.hasSuffix(".jpg") || $0.hasSuffix(".jpeg") })
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/\(jpeg)"))
        let withSVG = try Harness.template("body:\n  - image: {src: \(svg), width: 30mm}\n  - image: {src: \"{{ photo }}\", width: 20mm}\n")
        let pdf = try Harness.pdf(withSVG, .object(ValueObject([("photo", .string("data:image/jpeg;base64," + data.base64EncodedString()))]))).files[0]
        let raw = String(decoding: pdf, as: UTF8.self)
        #expect(raw.contains("/DCTDecode"), "the JPEG is embedded as JPEG")
        #expect(raw.contains("/Image"), "the SVG and the JPEG are drawn")
    }
}

extension LanguageFeatureTests {
    @Test func fillsCanComeFromData() throws {
        let template = try Harness.template("""
            page: {size: A6, margins: 10mm}
            body:
              - box: {fill: "{{ tray.colour }}", height: 60mm, content: ["TRAY"]}
            """)
        let png = try Harness.renderer.render(template, data: try Harness.json(#"{"tray": {"colour": "blue"}}"#),
                                              options: RenderOptions(format: .png, dpi: 36))
        let blue = try #require(ImageComparison.decode(png.files[0]))
        defer { cairo_surface_destroy(blue) }
        let stride = Int(cairo_image_surface_get_stride(blue))
        let pixel = cairo_image_surface_get_data(blue)! + 40 * stride + 40 * 4
        #expect(pixel[0] > 150 && pixel[2] < 80, "blue channel high, red low: \(pixel[0]) \(pixel[2])")
        #expect { try Harness.pdf(template, try Harness.json(#"{"tray": {"colour": "sparkly"}}"#)) } throws: { error in
            (error as? RenderError)?.code == .dataInvalid && "\(error)".contains("sparkly")
        }
        _ = try Harness.pdf(template, try Harness.json(#"{"tray": {"colour": null}}"#))
    }
}
