import CPangoCairo
import Foundation
import Testing

@testable import FolioRender

enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }
}

private func expectImageInvalid(mentioning words: [String], _ body: () throws -> Void,
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(sourceLocation: sourceLocation) {
        try body()
    } throws: { error in
        guard let error = error as? RenderError, error.code == .imageInvalid else { return false }
        return words.allSatisfy { error.message.localizedCaseInsensitiveContains($0) }
    }
}

@Suite("Images")
struct ImageTests {
    struct SizeCase: Sendable, CustomTestStringConvertible {
        var file: String
        var format: ImageFormat
        var width: Double
        var height: Double
        var testDescription: String { file }
    }

    @Test("formats are recognised from content and sized in points", arguments: [
        SizeCase(file: "rgb-40x20.png", format: .png, width: 30, height: 15),
        SizeCase(file: "rgba-40x20-144dpi.png", format: .png, width: 20, height: 10),
        SizeCase(file: "photo-64x48.jpg", format: .jpeg, width: 48, height: 36),
        SizeCase(file: "photo-64x48-300dpi.jpg", format: .jpeg, width: 15.36, height: 11.52),
        SizeCase(file: "mark-30x20mm.svg", format: .svg, width: 30 * 72 / 25.4, height: 20 * 72 / 25.4),
        SizeCase(file: "viewbox-only.svg", format: .svg, width: 90, height: 45),
    ])
    func intrinsicSize(_ test: SizeCase) throws {
        // The name says nothing about the format: only the bytes do.
        let asset = try ImageAsset(bytes: Fixture.bytes(test.file), name: "logo.bin")
        #expect(asset.format == test.format)
        #expect(abs(asset.width - test.width) < 0.05)
        #expect(abs(asset.height - test.height) < 0.05)
        if test.format == .svg { #expect(asset.pixelSize == nil) } else { #expect(asset.pixelSize != nil) }
    }

    @Test("a PNG is drawn where its fit puts it")
    func pngFits() throws {
        let asset = try ImageAsset(bytes: Fixture.bytes("rgb-40x20.png"), name: "red.png")
        let contain = TestCanvas(width: 100, height: 100)
        try asset.draw(in: contain.cr, x: 0, y: 0, width: 100, height: 100, fit: .contain)
        #expect(contain.pixel(x: 50, y: 50) == (208, 16, 16))
        #expect(contain.pixel(x: 50, y: 10) == (255, 255, 255))
        #expect(contain.pixel(x: 50, y: 90) == (255, 255, 255))

        let cover = TestCanvas(width: 120, height: 120)
        try asset.draw(in: cover.cr, x: 10, y: 10, width: 100, height: 100, fit: .cover)
        #expect(cover.pixel(x: 12, y: 12) == (208, 16, 16))
        #expect(cover.pixel(x: 107, y: 107) == (208, 16, 16))
        #expect(cover.pixel(x: 5, y: 60) == (255, 255, 255))  // clipped to the box
        #expect(cover.pixel(x: 115, y: 60) == (255, 255, 255))

        let fill = TestCanvas(width: 100, height: 100)
        try asset.draw(in: fill.cr, x: 0, y: 0, width: 100, height: 100, fit: .fill)
        #expect(fill.pixel(x: 1, y: 1) == (208, 16, 16))
        #expect(fill.pixel(x: 98, y: 98) == (208, 16, 16))
    }

    @Test("PNG transparency composites over the page")
    func pngAlpha() throws {
        let asset = try ImageAsset(bytes: Fixture.bytes("rgba-40x20-144dpi.png"), name: "half.png")
        let canvas = TestCanvas(width: 40, height: 20)
        try asset.draw(in: canvas.cr, x: 0, y: 0, width: 40, height: 20, fit: .fill)
        #expect(canvas.pixel(x: 5, y: 10) == (16, 64, 208))
        #expect(canvas.pixel(x: 35, y: 10) == (255, 255, 255))
    }

    @Test("a JPEG decodes to its colours")
    func jpegDraws() throws {
        let asset = try ImageAsset(bytes: Fixture.bytes("photo-64x48.jpg"), name: "photo.jpg")
        #expect(asset.pixelSize?.width == 64 && asset.pixelSize?.height == 48)
        let canvas = TestCanvas(width: 64, height: 48)
        try asset.draw(in: canvas.cr, x: 0, y: 0, width: 64, height: 48, fit: .fill)
        let corner = canvas.pixel(x: 0, y: 0)
        #expect(abs(corner.red - 32) < 12 && abs(corner.green - 96) < 12 && abs(corner.blue - 192) < 12)
    }

    @Test("an SVG renders as vectors")
    func svgDraws() throws {
        let asset = try ImageAsset(bytes: Fixture.bytes("mark-30x20mm.svg"), name: "mark.svg")
        let canvas = TestCanvas(width: 150, height: 100)
        try asset.draw(in: canvas.cr, x: 0, y: 0, width: 150, height: 100)
        #expect(canvas.pixel(x: 20, y: 50) == (26, 95, 180))  // #1a5fb4
        #expect(canvas.pixel(x: 75, y: 50) == (255, 255, 255))  // the white circle
        let pdf = try renderPDF(width: 200, height: 200) { cr in
            try asset.draw(in: cr, x: 10, y: 10, width: 180, height: 120)
        }
        #expect(!String(decoding: pdf, as: UTF8.self).contains("/Subtype /Image"))
    }

    @Test("a JPEG is embedded in a PDF unchanged, once however often it is drawn")
    func jpegPassthrough() throws {
        let bytes = try Fixture.bytes("photo-64x48.jpg")
        let pdf = try renderPDF(width: 300, height: 300) { cr in
            let asset = try ImageAsset(bytes: bytes, name: "photo.jpg")
            for index in 0..<3 {
                try asset.draw(in: cr, x: 10, y: 10 + Double(index) * 90, width: 100, height: 80)
            }
            // The asset goes out of scope before the PDF is finished: the surface keeps its bytes alive.
        }
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("/DCTDecode"))
        #expect(text.components(separatedBy: "/Subtype /Image").count - 1 == 1)
        // The very bytes of the file are in the PDF.
        #expect(pdf.firstRange(of: bytes) != nil)
    }

    @Test("a PNG in a PDF is re-compressed, not passed as JPEG")
    func pngInPDF() throws {
        let asset = try ImageAsset(bytes: Fixture.bytes("rgb-40x20.png"), name: "red.png")
        let pdf = try renderPDF(width: 200, height: 200) { cr in
            try asset.draw(in: cr, x: 10, y: 10, width: 100, height: 50)
        }
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("/Subtype /Image"))
        #expect(!text.contains("/DCTDecode"))
    }

    @Test("corrupt and truncated images are rejected, named")
    func corrupt() throws {
        let png = try Fixture.bytes("rgb-40x20.png")
        expectImageInvalid(mentioning: ["logo.png", "PNG"]) {
            _ = try ImageAsset(bytes: Array(png.prefix(png.count - 20)), name: "logo.png")
        }
        expectImageInvalid(mentioning: ["logo.png", "PNG"]) {
            _ = try ImageAsset(bytes: Array(png.prefix(20)), name: "logo.png")
        }
        let jpeg = try Fixture.bytes("photo-64x48.jpg")
        expectImageInvalid(mentioning: ["photo.jpg", "truncated"]) {
            _ = try ImageAsset(bytes: Array(jpeg.prefix(jpeg.count - 60)), name: "photo.jpg")
        }
        expectImageInvalid(mentioning: ["photo.jpg", "JPEG"]) {
            _ = try ImageAsset(bytes: [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x41, count: 100), name: "photo.jpg")
        }
        var scrambled = jpeg
        for index in stride(from: scrambled.count / 3, to: scrambled.count - 2, by: 7) { scrambled[index] = 0xFF }
        expectImageInvalid(mentioning: ["photo.jpg"]) {
            _ = try ImageAsset(bytes: scrambled, name: "photo.jpg")
        }
        expectImageInvalid(mentioning: ["mark.svg", "SVG"]) {
            _ = try ImageAsset(bytes: Array("<svg xmlns='http://www.w3.org/2000/svg'><rect".utf8), name: "mark.svg")
        }
        expectImageInvalid(mentioning: ["mark.svg", "no size"]) {
            _ = try ImageAsset(bytes: Array("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8), name: "mark.svg")
        }
        expectImageInvalid(mentioning: ["anim.gif", "GIF", "PNG, JPEG or SVG"]) {
            _ = try ImageAsset(bytes: Array("GIF89a".utf8) + [0, 0, 0, 0], name: "anim.gif")
        }
        expectImageInvalid(mentioning: ["notes.txt", "not an image"]) {
            _ = try ImageAsset(bytes: Array("hello".utf8), name: "notes.txt")
        }
        expectImageInvalid(mentioning: ["empty.png", "empty"]) {
            _ = try ImageAsset(bytes: [], name: "empty.png")
        }
    }

    @Test("oversized images are rejected before decoding")
    func oversized() throws {
        let png = try Fixture.bytes("rgb-40x20.png")
        expectImageInvalid(mentioning: ["logo.png", "limit"]) {
            _ = try ImageAsset(bytes: png, name: "logo.png", limits: ImageLimits(maxEncodedBytes: 100))
        }
        expectImageInvalid(mentioning: ["logo.png", "40×20", "megapixels"]) {
            _ = try ImageAsset(bytes: png, name: "logo.png", limits: ImageLimits(maxPixels: 799))
        }
        // A header claiming 100 000 × 100 000 pixels and nothing else: refused from the header alone.
        var bomb = Array(png.prefix(33))
        bomb.replaceSubrange(16..<24, with: [0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0])
        expectImageInvalid(mentioning: ["bomb.png", "100000×100000"]) {
            _ = try ImageAsset(bytes: bomb, name: "bomb.png")
        }
        let jpeg = try Fixture.bytes("photo-64x48.jpg")
        expectImageInvalid(mentioning: ["photo.jpg", "64×48"]) {
            _ = try ImageAsset(bytes: jpeg, name: "photo.jpg", limits: ImageLimits(maxPixels: 1000))
        }
        let base64 = String(repeating: "A", count: 200)
        expectImageInvalid(mentioning: ["$.logo", "limit"]) {
            _ = try ImageSource(inline: base64, name: "$.logo", limits: ImageLimits(maxEncodedBytes: 100))
        }
    }

    @Test("inline images: data URIs and bare base64")
    func inlineSources() throws {
        let png = try Fixture.bytes("rgb-40x20.png")
        let base64 = Data(png).base64EncodedString()
        #expect(try ImageSource(inline: base64, name: "$.logo").bytes == png)
        #expect(try ImageSource(inline: "  " + Data(png).base64EncodedString(options: .lineLength64Characters) + "\n",
                                name: "$.logo").bytes == png)
        let uri = try ImageSource(inline: "data:image/png;base64," + base64, name: "$.logo")
        #expect(uri.bytes == png)
        #expect(uri.declaredMediaType == "image/png")
        // The bytes decide: a PNG labelled JPEG is still a PNG.
        #expect(try ImageAsset(inline: "data:image/jpeg;base64," + base64, name: "$.logo").format == .png)
        let unpadded = String(base64.trimmingCharacters(in: CharacterSet(charactersIn: "=")))
        #expect(try ImageSource(inline: unpadded, name: "$.logo").bytes == png)

        let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"
        let percent = try ImageAsset(
            inline: "data:image/svg+xml," + svg.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
            name: "$.mark")
        #expect(percent.format == .svg)
        #expect(abs(percent.width - 7.5) < 0.01)

        expectImageInvalid(mentioning: ["$.logo", "URL"]) {
            _ = try ImageSource(inline: "https://example.com/logo.png", name: "$.logo")
        }
        expectImageInvalid(mentioning: ["$.logo", "text/html"]) {
            _ = try ImageSource(inline: "data:text/html;base64,PGI+", name: "$.logo")
        }
        expectImageInvalid(mentioning: ["$.logo", "base64"]) {
            _ = try ImageSource(inline: "not base64 at all!", name: "$.logo")
        }
    }

    @Test("fits are named as templates write them")
    func fitNames() {
        #expect(ImageFit(named: "cover") == .cover)
        #expect(ImageFit(named: "Contain") == .contain)
        #expect(ImageFit(named: "stretch") == nil)
    }

    @Test("one asset draws from many threads at once", arguments: ["rgb-40x20.png", "photo-64x48.jpg", "mark-30x20mm.svg"])
    func concurrentDraws(_ file: String) async throws {
        let asset = try ImageAsset(bytes: Fixture.bytes(file), name: file)
        let reference = TestCanvas(width: 60, height: 40)
        try asset.draw(in: reference.cr, x: 0, y: 0, width: 60, height: 40, fit: .fill)
        let expected = reference.pixel(x: 10, y: 20)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var same = true
                    for _ in 0..<20 {
                        let canvas = TestCanvas(width: 60, height: 40)
                        try asset.draw(in: canvas.cr, x: 0, y: 0, width: 60, height: 40, fit: .fill)
                        same = same && canvas.pixel(x: 10, y: 20) == expected
                    }
                    return same
                }
            }
            for try await same in group { #expect(same) }
        }
    }

    @Test("images decode on many threads at once", arguments: ["rgb-40x20.png", "photo-64x48.jpg", "mark-30x20mm.svg"])
    func concurrentDecodes(_ file: String) async throws {
        let bytes = try Fixture.bytes(file)
        let expected = try ImageAsset(bytes: bytes, name: file)
        try await withThrowingTaskGroup(of: (Double, Double).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var size = (0.0, 0.0)
                    for _ in 0..<10 {
                        let asset = try ImageAsset(bytes: bytes, name: file)
                        size = (asset.width, asset.height)
                    }
                    return size
                }
            }
            for try await size in group { #expect(size == (expected.width, expected.height)) }
        }
    }

    @Test("images render onto an SVG surface, the JPEG embedded as JPEG")
    func svgOutput() throws {
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        let closure = Unmanaged.passRetained(sink)
        defer { closure.release() }
        let created = cairo_svg_surface_create_for_stream({ closure, data, length in
            Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue().bytes
                .append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, closure.toOpaque(), 300, 300)
        let surface = try #require(created)
        let cr = try #require(cairo_create(surface))
        for (index, file) in ["rgb-40x20.png", "photo-64x48.jpg", "mark-30x20mm.svg"].enumerated() {
            try ImageAsset(bytes: Fixture.bytes(file), name: file)
                .draw(in: cr, x: 10, y: 10 + Double(index) * 90, width: 120, height: 80)
        }
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        cairo_surface_destroy(surface)
        let svg = String(decoding: sink.bytes, as: UTF8.self)
        #expect(svg.contains("data:image/jpeg;base64"))
        #expect(svg.contains("data:image/png;base64"))
    }
}
