import Foundation
import Testing
@testable import FolioRender

/// The shipped templates with their samples and variants: page sizes, content and look, checked with poppler.
///
/// Reference images live in `References/NAME-PAGE.png` (pdftoppm at 30 dpi). After an intended change of look, run
/// `FOLIO_UPDATE_REFERENCES=1 swift test --filter ShippedTemplateTests`, look at the new PNGs, and commit them.
@Suite struct ShippedTemplateTests {
    static let referenceDPI = 30
    static let references = Repository.root + "/Tests/FolioRenderTests/References"

    static func sample(_ path: String) throws -> Value {
        try Value.parse(json: [UInt8](try Data(contentsOf: URL(fileURLWithPath: Repository.samples + "/" + path))))
    }

    @Test(arguments: Harness.library.names)
    func rendersItsSampleLikeTheReference(_ name: String) throws {
        let template = try Harness.library.template(named: name)
        let sample = try #require(template.sample, "\(name) has a sample.json")
        let document = try Harness.pdf(template, sample)
        #expect(document.warnings.isEmpty, "\(name): \(document.warnings)")
        let pdf = document.files[0]
        let info = try Poppler.info(pdf)
        #expect(Int(info["Pages"] ?? "") == document.pageCount)
        #expect(info["Title"]?.isEmpty == false, "\(name) sets a PDF title")
        for page in 1...document.pageCount {
            let png = try Poppler.png(pdf, page: page, dpi: Self.referenceDPI)
            let path = "\(Self.references)/\(name)-\(page).png"
            if ProcessInfo.processInfo.environment["FOLIO_UPDATE_REFERENCES"] != nil {
                try Data(png).write(to: URL(fileURLWithPath: path))
                continue
            }
            guard let reference = FileManager.default.contents(atPath: path) else {
                Issue.record("no reference image \(path); run with FOLIO_UPDATE_REFERENCES=1 and look at it")
                continue
            }
            let comparison = try #require(ImageComparison(png, [UInt8](reference)), "\(name) page \(page): size differs")
            #expect(comparison.differingFraction < 0.01, "\(name) page \(page): \(comparison.differingFraction * 100)% pixels differ")
            #expect(comparison.meanDifference < 3, "\(name) page \(page): mean difference \(comparison.meanDifference)")
        }
    }

    @Test func samplesBesideTemplatesAreTheSharedContract() throws {
        for name in Harness.library.names {
            let shared = name == "receipt-a4" ? "receipt.json" : "\(name).json"
            let local = FileManager.default.contents(atPath: "\(Repository.templates)/\(name)/sample.json")
            let contract = FileManager.default.contents(atPath: "\(Repository.samples)/\(shared)")
            #expect(local != nil && local == contract, "\(name)/sample.json matches shared/samples/\(shared)")
        }
    }

    @Test func invoiceSampleHasEveryLineOnceAndTheRightTotals() throws {
        let template = try Harness.library.template(named: "invoice")
        let pdf = try Harness.pdf(template, try #require(template.sample)).files[0]
        let text = try Poppler.text(pdf, layout: false)
        for sku in ["EXAM-GOS1", "FR-LQ4412-C3", "LN-HZFFPRO-160", "CT-ARPREM", "DISP-FEE"] {
            #expect(text.occurrences(of: sku) == 1, "\(sku) exactly once")
        }
        for amount in ["£474.00", "£250.90", "£71.50", "£402.50", "£73.10", "£150.00"] {
            #expect(text.contains(amount), "\(amount)")
        }
        #expect(text.contains("VAT INVOICE"))
        #expect(text.contains("GB 294 1187 36"))
        let size = try Poppler.pageSizes(pdf)[0]
        #expect(abs(size.0 - 595.28) < 0.5 && abs(size.1 - 841.89) < 0.5, "A4")
    }

    @Test func usInvoiceVariantIsALetterStatementInDollars() throws {
        let template = try Harness.library.template(named: "invoice")
        let pdf = try Harness.pdf(template, try Self.sample("variants/invoice.en-US.json")).files[0]
        let text = try Poppler.text(pdf, layout: false)
        #expect(text.contains("PATIENT STATEMENT"))
        for amount in ["$147.10", "$247.10", "$836.00", "$0.90"] { #expect(text.contains(amount), "\(amount)") }
        #expect(text.contains("March 20, 2025"))
        #expect(!text.contains("£"))
        #expect(!text.contains("VAT summary"))
        let size = try Poppler.pageSizes(pdf)[0]
        #expect(size.0 == 612 && size.1 == 792, "Letter")
    }

    @Test func germanReceiptVariantOnTheRoll() throws {
        let template = try Harness.library.template(named: "receipt")
        let document = try Harness.pdf(template, try Self.sample("variants/receipt.de-DE.json"))
        #expect(document.pageCount == 1)
        let pdf = document.files[0]
        let size = try Poppler.pageSizes(pdf)[0]
        #expect(abs(size.0 - Length.mm(80).points) < 0.5, "80 mm wide")
        #expect(size.1 > size.0 * 2, "a roll as long as the receipt")
        let text = try Poppler.text(pdf, layout: false)
        for expected in ["627,00 €", "526,89", "100,11", "20.03.2025", "Rückgeld", "KASSE-01-7F3A", "ecdsa-plain-SHA384"] {
            #expect(text.contains(expected), "\(expected)")
        }
        #expect(!text.contains("£"))
        #expect(!text.contains("VAT"))
        let a4 = try Harness.pdf(try Harness.library.template(named: "receipt-a4"), try Self.sample("variants/receipt.de-DE.json"))
        #expect(try Poppler.text(a4.files[0], layout: false).contains("627,00 €"))
    }

    @Test("1,000-line invoice: every line once, header and page X of Y on every page, carried totals")
    func thousandLineInvoice() throws {
        let template = try Harness.library.template(named: "invoice")
        guard case .object(var root) = try #require(template.sample), case .array(let items)? = root["lines"] else {
            Issue.record("invoice sample has lines"); return
        }
        var lines: [Value] = []
        for n in 1...1000 {
            guard case .object(var line) = items[n % items.count] else { continue }
            line["line"] = .integer(Int64(n))
            line["sku"] = .string(String(format: "SKU%04d", n))
            lines.append(.object(line))
        }
        root["lines"] = .array(lines)
        let document = try Harness.pdf(template, .object(root))
        let pdf = document.files[0]
        #expect(document.pageCount > 10)
        let words = try Poppler.words(pdf)
        for n in 1...1000 {
            let sku = String(format: "SKU%04d", n)
            #expect(words.filter { $0.text == sku }.count == 1, "\(sku) once")
        }
        for page in 1...document.pageCount {
            let text = try Poppler.text(pdf, page: page)
            #expect(text.contains("Page \(page) of \(document.pageCount)"))
            #expect(text.contains("Description"), "header row on page \(page)")
            if page > 1 { #expect(text.contains("Brought forward"), "page \(page)") }
            if page < document.pageCount - 1 { #expect(text.contains("Carried forward"), "page \(page)") }
        }
    }
}
