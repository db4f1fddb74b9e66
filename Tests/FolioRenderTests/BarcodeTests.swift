import CPangoCairo
import Foundation
import Testing

@testable import FolioRender

/// A white ARGB image surface to draw on and inspect (shared by the graphics suites).
final class TestCanvas {
    let surface: OpaquePointer
    let cr: OpaquePointer
    let width: Int
    let height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        cr = cairo_create(surface)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// The (red, green, blue) at a pixel, 0…255.
    func pixel(x: Int, y: Int) -> (red: Int, green: Int, blue: Int) {
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        let value = data.advanced(by: y * stride + x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
        return (Int((value >> 16) & 0xFF), Int((value >> 8) & 0xFF), Int(value & 0xFF))
    }

    /// How many pixels in the rectangle are dark (luminance below half).
    func darkPixels(x: Int = 0, y: Int = 0, width: Int? = nil, height: Int? = nil) -> Int {
        var count = 0
        for row in y..<(y + (height ?? self.height - y)) {
            for column in x..<(x + (width ?? self.width - x)) {
                let (red, green, blue) = pixel(x: column, y: row)
                if red * 299 + green * 587 + blue * 114 < 128_000 { count += 1 }
            }
        }
        return count
    }

    /// Writes the canvas as a PNG to a temporary file and returns its path.
    func writePNG() -> String {
        let path = NSTemporaryDirectory() + "folio-test-\(UUID().uuidString).png"
        cairo_surface_write_to_png(surface, path)
        return path
    }
}

/// Decodes every symbol in a PNG with zbarimg (Debian `zbar-tools`); nil when it found none.
enum ZBar {
    static let path = "/usr/bin/zbarimg"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }

    static func decode(pngAt file: String) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--quiet", "--raw", file]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}

@Suite("Barcodes")
struct BarcodeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var symbology: BarcodeSymbology
        var content: String
        /// What a scanner reads back, nil when zbar cannot read this symbology.
        var scanned: String?
        var testDescription: String { "\(symbology) \(content)" }
    }

    static let cases: [Case] = [
        Case(symbology: .code128, content: "1048213", scanned: "1048213"),
        Case(symbology: .code39, content: "R0320-482", scanned: "R0320-482"),
        Case(symbology: .ean13, content: "400638133393", scanned: "4006381333931"),
        Case(symbology: .upcA, content: "72527273070", scanned: "0725272730706"),
        Case(symbology: .itf14, content: "1540014128876", scanned: "15400141288763"),
        Case(symbology: .gs1_128, content: "(01)09501101530003", scanned: "0109501101530003"),
        Case(symbology: .qr, content: "https://receipts.harbourside-eyecare.example/r/R0320-000482",
             scanned: "https://receipts.harbourside-eyecare.example/r/R0320-000482"),
        Case(symbology: .dataMatrix, content: "JOB 1048213 R", scanned: nil),
        Case(symbology: .pdf417, content: "PRITCHARD E 1048213", scanned: nil),
        Case(symbology: .aztec, content: "1048213", scanned: nil),
    ]

    @Test("each symbology encodes and draws ink inside its box", arguments: cases)
    func encodesAndDraws(_ test: Case) throws {
        let vector = try Barcode(symbology: test.symbology, content: test.content).encode()
        #expect(vector.width > 0 && vector.height > 0)
        #expect(!vector.rectangles.isEmpty || !vector.hexagons.isEmpty)

        let canvas = TestCanvas(width: 400, height: 200)
        vector.draw(in: canvas.cr, x: 20, y: 20, width: 360, height: 160)
        #expect(canvas.darkPixels(x: 20, y: 20, width: 360, height: 160) > 1000)
        // Nothing outside the box.
        #expect(canvas.darkPixels(x: 0, y: 0, width: 400, height: 19) == 0)
        #expect(canvas.darkPixels(x: 0, y: 181, width: 400, height: 19) == 0)
        #expect(canvas.darkPixels(x: 0, y: 0, width: 19, height: 200) == 0)
        #expect(canvas.darkPixels(x: 381, y: 0, width: 19, height: 200) == 0)
    }

    @Test("a scanner reads back what was encoded", .enabled(if: ZBar.isAvailable, "needs zbarimg (zbar-tools)"),
          arguments: cases.filter { $0.scanned != nil })
    func scansBack(_ test: Case) throws {
        let barcode = Barcode(symbology: test.symbology, content: test.content)
        let vector = try barcode.encode()
        // About 2 px per module (zint uses 2 units per module), on a white page.
        let width = Int(vector.width.rounded(.up)) + 40
        let height = test.symbology.keepsAspectRatio ? Int(vector.height.rounded(.up)) + 40 : 180
        let canvas = TestCanvas(width: width, height: height)
        try barcode.draw(in: canvas.cr, x: 20, y: 20, width: vector.width, height: Double(height - 40))
        let file = canvas.writePNG()
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try ZBar.decode(pngAt: file) == test.scanned)
    }

    @Test("2-D codes keep their aspect ratio and are centred")
    func twoDimensionalKeepsAspect() throws {
        let canvas = TestCanvas(width: 300, height: 100)
        try Barcode(symbology: .qr, content: "1048213").draw(in: canvas.cr, x: 0, y: 0, width: 300, height: 100)
        #expect(canvas.darkPixels(x: 0, y: 0, width: 95, height: 100) == 0)
        #expect(canvas.darkPixels(x: 205, y: 0, width: 95, height: 100) == 0)
        #expect(canvas.darkPixels(x: 100, y: 0, width: 100, height: 100) > 1000)
    }

    @Test("linear codes stretch their bars to the box and put the text under them")
    func linearStretches() throws {
        let canvas = TestCanvas(width: 300, height: 150)
        try Barcode(symbology: .code128, content: "1048213").draw(in: canvas.cr, x: 0, y: 0, width: 300, height: 150)
        // Bars reach near the top; below them, text.
        #expect(canvas.darkPixels(x: 0, y: 0, width: 300, height: 10) > 100)
        #expect(canvas.darkPixels(x: 0, y: 125, width: 300, height: 25) > 30)
        let bare = TestCanvas(width: 300, height: 150)
        try Barcode(symbology: .code128, content: "1048213", options: .init(showsText: false))
            .draw(in: bare.cr, x: 0, y: 0, width: 300, height: 150)
        // Without text the bars run to the bottom.
        #expect(bare.darkPixels(x: 0, y: 140, width: 300, height: 10) > 300)
    }

    @Test("human-readable text is part of the vector when asked for")
    func humanReadableText() throws {
        let shown = try Barcode(symbology: .code128, content: "1048213").encode()
        #expect(shown.texts.map(\.text) == ["1048213"])
        let hidden = try Barcode(symbology: .code128, content: "1048213", options: .init(showsText: false)).encode()
        #expect(hidden.texts.isEmpty)
        let ean = try Barcode(symbology: .ean13, content: "400638133393").encode()
        #expect(ean.texts.map(\.text).joined() == "4006381333931")
    }

    @Test("error correction and module height change the symbol")
    func options() throws {
        let low = try Barcode(symbology: .qr, content: String(repeating: "1048213 ", count: 8),
                              options: .init(errorCorrection: .low)).encode()
        let high = try Barcode(symbology: .qr, content: String(repeating: "1048213 ", count: 8),
                               options: .init(errorCorrection: .high)).encode()
        #expect(high.width > low.width)
        let short = try Barcode(symbology: .code128, content: "1", options: .init(moduleHeight: 10)).encode()
        let tall = try Barcode(symbology: .code128, content: "1", options: .init(moduleHeight: 40)).encode()
        #expect(tall.height - short.height == 60)
        let bare = try Barcode(symbology: .code128, content: "1", options: .init(quietZones: false)).encode()
        let quiet = try Barcode(symbology: .code128, content: "1").encode()
        #expect(quiet.width > bare.width)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var symbology: BarcodeSymbology
        var content: String
        var mentions: String
        var testDescription: String { "\(symbology) \"\(content)\"" }
    }

    @Test("content a symbology cannot encode is barcode_invalid with zint's reason", arguments: [
        Invalid(symbology: .ean13, content: "ABC", mentions: "Invalid character"),
        Invalid(symbology: .ean13, content: "4006381333932", mentions: "check digit"),
        Invalid(symbology: .upcA, content: "12345678901234567", mentions: "too long"),
        Invalid(symbology: .itf14, content: "15400X", mentions: "Invalid character"),
        Invalid(symbology: .gs1_128, content: "no AI here", mentions: "AI"),
        Invalid(symbology: .code128, content: "", mentions: "empty"),
        Invalid(symbology: .qr, content: String(repeating: "x", count: 8000), mentions: "too long"),
    ])
    func invalidContent(_ test: Invalid) {
        #expect {
            try Barcode(symbology: test.symbology, content: test.content).encode()
        } throws: { error in
            guard let error = error as? RenderError else { return false }
            return error.code == .barcodeInvalid && error.message.localizedCaseInsensitiveContains(test.mentions)
        }
    }

    @Test("symbologies are found by the names templates write")
    func lookupByName() {
        #expect(BarcodeSymbology(named: "code128") == .code128)
        #expect(BarcodeSymbology(named: "QR") == .qr)
        #expect(BarcodeSymbology(named: "datamatrix") == .dataMatrix)
        #expect(BarcodeSymbology(named: "data-matrix") == .dataMatrix)
        #expect(BarcodeSymbology(named: "EAN-13") == .ean13)
        #expect(BarcodeSymbology(named: "gs1_128") == .gs1_128)
        #expect(BarcodeSymbology(named: "upc-a") == .upcA)
        #expect(BarcodeSymbology(named: "pdf417") == .pdf417)
        #expect(BarcodeSymbology(named: "aztec") == .aztec)
        #expect(BarcodeSymbology(named: "morse") == nil)
        #expect(BarcodeErrorCorrection(name: "M") == .medium)
        #expect(BarcodeErrorCorrection(name: "5") == .pdf417(level: 5))
        #expect(BarcodeErrorCorrection(name: "Z") == nil)
    }

    @Test("bars are one vector path in a PDF")
    func vectorInPDF() throws {
        let pdf = try renderPDF(width: 200, height: 100) { cr in
            try Barcode(symbology: .code128, content: "1048213", options: .init(showsText: false))
                .draw(in: cr, x: 10, y: 10, width: 180, height: 80)
        }
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("%PDF"))
        #expect(!text.contains("/Subtype /Image"))
    }

    @Test("encoding in parallel gives the same vectors")
    func parallelEncoding() async throws {
        let barcode = Barcode(symbology: .qr, content: "https://receipts.harbourside-eyecare.example/r/R0320-000482")
        let expected = try barcode.encode()
        try await withThrowingTaskGroup(of: BarcodeVector.self) { group in
            for _ in 0..<16 { group.addTask { try barcode.encode() } }
            for try await vector in group { #expect(vector == expected) }
        }
    }
}

/// Renders onto a cairo PDF surface in memory and returns the (uncompressed-streams are not guaranteed) PDF bytes.
func renderPDF(width: Double, height: Double, _ body: (OpaquePointer) throws -> Void) throws -> [UInt8] {
    final class Sink { var bytes: [UInt8] = [] }
    let sink = Sink()
    let closure = Unmanaged.passRetained(sink)
    defer { closure.release() }
    let surface = cairo_pdf_surface_create_for_stream({ closure, data, length in
        let sink = Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }, closure.toOpaque(), width, height)!
    let cr = cairo_create(surface)!
    do {
        try body(cr)
    } catch {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
        throw error
    }
    cairo_show_page(cr)
    cairo_destroy(cr)
    cairo_surface_finish(surface)
    cairo_surface_destroy(surface)
    return sink.bytes
}

extension BarcodeTests {
    @Test("Data Matrix is square unless rectangles are allowed; natural size follows the module width")
    func dataMatrixShapeAndSize() throws {
        let square = try Barcode(symbology: .dataMatrix, content: "JOB 1048213 R").encode()
        #expect(square.width == square.height)
        let free = try Barcode(symbology: .dataMatrix, content: "JOB 1048213 R",
                               options: .init(allowsRectangular: true)).encode()
        #expect(free.width != free.height)
        let code = try Barcode(symbology: .code128, content: "1048213", options: .init(quietZones: false)).encode()
        // Code 128 of 7 digits: start, 4 symbols (C set, with a shift), check, stop: 90 modules here.
        #expect(code.size(moduleWidth: 1).width == 90)
    }

    @Test("a short box keeps the bars full width and shrinks the text")
    func shortBox() throws {
        let canvas = TestCanvas(width: 300, height: 40)
        try Barcode(symbology: .upcA, content: "72527273070").draw(in: canvas.cr, x: 0, y: 0, width: 300, height: 40)
        // Bars span the whole width (outer guard bars near both ends of the symbol, inside its quiet zones)…
        #expect(canvas.darkPixels(x: 0, y: 0, width: 60, height: 20) > 20)
        #expect(canvas.darkPixels(x: 240, y: 0, width: 60, height: 20) > 20)
        // …and take more than half the height.
        #expect(canvas.darkPixels(x: 100, y: 20, width: 100, height: 2) > 40)
    }

    @Test("text can come from a given Pango font map")
    func customFontMap() throws {
        let fontMap = try #require(pango_cairo_font_map_new())
        defer { g_object_unref(UnsafeMutableRawPointer(fontMap)) }
        let canvas = TestCanvas(width: 300, height: 150)
        try Barcode(symbology: .code128, content: "1048213")
            .draw(in: canvas.cr, x: 0, y: 0, width: 300, height: 150, fontMap: fontMap)
        #expect(canvas.darkPixels(x: 0, y: 125, width: 300, height: 25) > 30)
    }
}
