import CPangoCairo
import Foundation
import Testing

@testable import FolioRender

@Suite("Trace shapes")
struct TraceTests {
    /// The 40-point preview of the lab-ticket sample (`finishing.trace.preview`).
    static let right: [Double] = [
        26.0, 26.29, 26.57, 26.08, 25.58, 24.3, 22.54, 21.01, 19.89, 19.22, 19.0, 19.26, 19.97, 21.13, 22.7, 24.5, 26.09,
        26.91, 26.82, 26.3, 26.0, 26.23, 26.67, 26.76, 25.99, 24.46, 22.69, 21.13, 19.97, 19.25, 19.0, 19.22, 19.88,
        20.99, 22.5, 24.25, 25.81, 26.66, 26.65, 26.23,
    ]
    static let left: [Double] = [
        26.0, 26.3, 26.82, 26.91, 26.09, 24.5, 22.7, 21.13, 19.97, 19.26, 19.0, 19.22, 19.89, 21.01, 22.54, 24.3, 25.58,
        26.08, 26.57, 26.29, 26.0, 26.23, 26.65, 26.66, 25.81, 24.25, 22.5, 20.99, 19.88, 19.22, 19.0, 19.25, 19.97,
        21.13, 22.69, 24.46, 25.99, 26.76, 26.67, 26.23,
    ]

    @Test("boxing values of the lab-ticket preview match the job's (52.03 × 38.05, ED 53.94, C 153.42)")
    func labTicketBoxing() throws {
        let trace = try TraceShape(radii: Self.right, path: "$.finishing.trace.preview.radii_mm_right")
        // 40 points sample the 400-point trace coarsely, so the values come close rather than exact.
        #expect(abs(trace.hbox - 52.03) < 0.1)
        #expect(abs(trace.vbox - 38.05) < 0.1)
        #expect(abs(trace.fed - 53.94) < 0.2)
        #expect(abs(trace.circumference - 153.42) < 0.5)
        #expect(trace.points.count == 40)
        #expect(trace.warnings.isEmpty)
    }

    @Test("the left eye is the mirror of the right: L(θ) = R(180° − θ)")
    func mirrorMatchesLeft() throws {
        let mirrored = try TraceShape(radii: Self.right).mirrored()
        #expect(mirrored.radii == Self.left)
        #expect(mirrored.points.map(\.angle) == (0..<40).map { Double($0) * 9 })
        let left = try TraceShape(radii: Self.left)
        #expect(abs(left.hbox - mirrored.hbox) < 1e-9)
        #expect(try TraceShape(radii: Self.left).mirrored().radii == Self.right)
    }

    @Test("OMA R= values in 1/100 mm, with or without A= angles")
    func omaUnits() throws {
        let hundredths = Self.right.map { Int(($0 * 100).rounded()) }
        let trace = try TraceShape(hundredthsOfMillimetre: hundredths)
        #expect(abs(trace.hbox - 52.0) < 0.01)
        let angles = (0..<40).map { $0 * 900 }
        let explicit = try TraceShape(hundredthsOfMillimetre: hundredths, anglesInHundredthsOfDegree: angles)
        #expect(explicit == trace)
    }

    @Test("points are at 360·i/n degrees, counter-clockwise from 3 o'clock, y up")
    func angleFrame() throws {
        let trace = try TraceShape(radii: Array(repeating: 20, count: 8))
        #expect(abs(trace.points[0].x - 20) < 1e-9 && abs(trace.points[0].y) < 1e-9)
        #expect(abs(trace.points[2].x) < 1e-9 && abs(trace.points[2].y - 20) < 1e-9)
    }

    @Test("a trace with 5 points is rejected")
    func tooFewPoints() {
        #expect {
            try TraceShape(radii: [26, 25, 24, 25, 26], path: "$.trace")
        } throws: { error in
            let error = error as? RenderError
            return error?.code == .dataInvalid && error?.path == "$.trace"
                && error?.message.contains("at least 8") == true
        }
    }

    @Test("non-positive radii are skipped, and too few valid ones are rejected")
    func skipsInvalid() throws {
        var radii = Self.right
        radii[3] = 0
        radii[7] = -1
        let trace = try TraceShape(radii: radii)
        #expect(trace.points.count == 38)
        #expect(trace.warnings.contains { $0.contains("2 non-positive") })
        #expect(throws: RenderError.self) {
            try TraceShape(radii: [20, 20, 20, 20, 0, 0, 0, 20, 20, 20])
        }
        #expect(throws: RenderError.self) { try TraceShape(radii: [20, .nan, 20, 20, 20, 20, 20, 20]) }
        #expect(throws: RenderError.self) { try TraceShape(radii: Self.right, angles: [0, 90]) }
    }

    @Test("implausible radii are warnings, not errors")
    func implausibleRadii() throws {
        let trace = try TraceShape(radii: [5, 20, 20, 20, 45, 20, 20, 20], path: "$.trace")
        #expect(trace.points.count == 8)
        #expect(trace.warnings.count == 1)
        #expect(trace.warnings.first?.contains("$.trace: 2 trace radii outside") == true)
    }

    @Test("the outline is drawn y-up around its centre, closed and smooth")
    func drawsOutline() throws {
        let trace = try TraceShape(radii: Self.right)
        let canvas = TestCanvas(width: 200, height: 200)
        cairo_set_source_rgb(canvas.cr, 0, 0, 0)
        // 3 px per mm: 52 mm wide → 156 px, 38 mm tall → 114 px.
        trace.addPath(to: canvas.cr, centerX: 100, centerY: 100, scale: 3)
        cairo_fill(canvas.cr)
        #expect(canvas.pixel(x: 100, y: 100) == (0, 0, 0))
        #expect(canvas.pixel(x: 100 + 75, y: 100) == (0, 0, 0))
        #expect(canvas.pixel(x: 100 + 82, y: 100) == (255, 255, 255))
        #expect(canvas.pixel(x: 100, y: 100 - 55) == (0, 0, 0))
        #expect(canvas.pixel(x: 100, y: 100 - 60) == (255, 255, 255))
        // y up: the fuller corner of the sample (points 16–18, upper left) is filled at the top left, not bottom left.
        let upper = canvas.darkPixels(x: 20, y: 30, width: 40, height: 30)
        let lower = canvas.darkPixels(x: 20, y: 140, width: 40, height: 30)
        #expect(upper > lower)

        var extents = (0.0, 0.0, 0.0, 0.0)
        trace.addPath(to: canvas.cr, centerX: 100, centerY: 100, scale: 3, smoothed: false)
        cairo_path_extents(canvas.cr, &extents.0, &extents.1, &extents.2, &extents.3)
        #expect(abs((extents.2 - extents.0) - trace.hbox * 3) < 0.01)
        #expect(abs((extents.3 - extents.1) - trace.vbox * 3) < 0.01)
        cairo_new_path(canvas.cr)
    }
}
