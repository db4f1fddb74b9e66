import Foundation

/// A frame or lens shape from a tracer: radii from the boxing centre at given angles (OMA/DCS `TRCFMT` + `R=`).
///
/// Angles follow the DCS frame: point 0 at 3 o'clock, increasing counter-clockwise, y up, viewed from the front.
/// Equiangular traces put point *i* of *n* at 360·*i*/*n* degrees. Non-positive radii mark points the tracer
/// missed and are skipped. Fewer than ``minimumPoints`` valid points is an error; radii outside
/// ``plausibleRadii`` only add to ``warnings``, since a caller may still want to draw them.
public struct TraceShape: Sendable, Hashable {
    /// One valid trace point.
    public struct Point: Sendable, Hashable {
        /// Degrees, 0 ≤ angle < 360, counter-clockwise from 3 o'clock.
        public var angle: Double
        /// Millimetres from the boxing centre.
        public var radius: Double

        public init(angle: Double, radius: Double) {
            self.angle = angle
            self.radius = radius
        }

        /// Millimetres right of the boxing centre.
        public var x: Double { radius * cos(angle * .pi / 180) }
        /// Millimetres above the boxing centre (y up).
        public var y: Double { radius * sin(angle * .pi / 180) }
    }

    /// The fewest valid points a trace may have.
    public static let minimumPoints = 8
    /// Radii a real frame has, in mm; others are reported in ``warnings``.
    public static let plausibleRadii: ClosedRange<Double> = 10...40

    /// The valid points, in order of increasing angle.
    public let points: [Point]
    /// Things worth telling a person (implausible radii, skipped points) that do not stop drawing.
    public let warnings: [String]

    /// A trace from radii in millimetres.
    ///
    /// - Parameters:
    ///   - radii: one radius per point; non-positive values are skipped.
    ///   - angles: each point's angle in degrees; nil for equal angles (point *i* at 360·*i*/*n*).
    ///   - path: the JSON path of the radii, named in errors and warnings.
    /// - Throws: ``RenderError/Code/dataInvalid`` when fewer than ``minimumPoints`` points are valid, when `angles`
    ///   and `radii` differ in length, or when a value is not finite.
    public init(radii: [Double], angles: [Double]? = nil, path: String? = nil) throws(RenderError) {
        let prefix = path.map { "\($0): " } ?? ""
        if let angles, angles.count != radii.count {
            throw RenderError(.dataInvalid, "the trace has \(radii.count) radii but \(angles.count) angles", path: path)
        }
        var points: [Point] = []
        var skipped = 0
        var implausible: [Double] = []
        points.reserveCapacity(radii.count)
        for (index, radius) in radii.enumerated() {
            let angle = angles?[index] ?? 360 * Double(index) / Double(radii.count)
            guard radius.isFinite, angle.isFinite else {
                throw RenderError(.dataInvalid, "trace point \(index) is not a finite number", path: path)
            }
            guard radius > 0 else {
                skipped += 1
                continue
            }
            if !Self.plausibleRadii.contains(radius) { implausible.append(radius) }
            points.append(Point(angle: Self.normalized(angle), radius: radius))
        }
        guard points.count >= Self.minimumPoints else {
            throw RenderError(
                .dataInvalid,
                "a trace needs at least \(Self.minimumPoints) valid points, this one has \(points.count)"
                    + (skipped > 0 ? " (\(skipped) non-positive radii skipped)" : ""),
                path: path)
        }
        var warnings: [String] = []
        if skipped > 0 { warnings.append("\(prefix)\(skipped) non-positive trace radii skipped") }
        if let low = implausible.min(), let high = implausible.max() {
            warnings.append(
                "\(prefix)\(implausible.count) trace radii outside the plausible "
                    + "\(Self.format(Self.plausibleRadii.lowerBound))–\(Self.format(Self.plausibleRadii.upperBound)) mm"
                    + " (\(Self.format(low))–\(Self.format(high)) mm)")
        }
        self.init(sortedPoints: points.sorted { $0.angle < $1.angle }, warnings: warnings)
    }

    /// A trace from OMA `R=` values, integers in 1/100 mm, with optional `A=` angles in 1/100 degree.
    public init(hundredthsOfMillimetre radii: [Int], anglesInHundredthsOfDegree angles: [Int]? = nil,
                path: String? = nil) throws(RenderError) {
        try self.init(radii: radii.map { Double($0) / 100 }, angles: angles?.map { Double($0) / 100 }, path: path)
    }

    private init(sortedPoints: [Point], warnings: [String]) {
        self.points = sortedPoints
        self.warnings = warnings
    }

    /// The radii in order of angle, in mm.
    public var radii: [Double] { points.map(\.radius) }

    /// The shape of the other eye: the horizontal mirror, L(θ) = R(180° − θ).
    public func mirrored() -> TraceShape {
        let mirrored = points.map { Point(angle: Self.normalized(180 - $0.angle), radius: $0.radius) }
        return TraceShape(sortedPoints: mirrored.sorted { $0.angle < $1.angle }, warnings: warnings)
    }

    // MARK: Boxing values

    /// Boxed width, the "A" measurement: max x − min x, in mm.
    public var hbox: Double { extent(\.x) }
    /// Boxed height, the "B" measurement: max y − min y, in mm.
    public var vbox: Double { extent(\.y) }
    /// Effective diameter: twice the largest radius, in mm.
    public var fed: Double { 2 * (points.map(\.radius).max() ?? 0) }
    /// The polygon perimeter, in mm.
    public var circumference: Double {
        var total = 0.0
        for (index, point) in points.enumerated() {
            let next = points[(index + 1) % points.count]
            total += hypot(next.x - point.x, next.y - point.y)
        }
        return total
    }

    /// The boxing rectangle relative to the trace centre, in mm, y up.
    public var bounds: (minX: Double, maxX: Double, minY: Double, maxY: Double) {
        let xs = points.map(\.x), ys = points.map(\.y)
        return (xs.min() ?? 0, xs.max() ?? 0, ys.min() ?? 0, ys.max() ?? 0)
    }

    private func extent(_ coordinate: KeyPath<Point, Double>) -> Double {
        let values = points.map { $0[keyPath: coordinate] }
        return (values.max() ?? 0) - (values.min() ?? 0)
    }

    private static func normalized(_ angle: Double) -> Double {
        let value = angle.truncatingRemainder(dividingBy: 360)
        return value < 0 ? value + 360 : value
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
