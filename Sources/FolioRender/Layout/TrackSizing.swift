/// Turns column widths (fixed, percent, fractions, auto) into points for a given total width.
///
/// Fixed and percent come first, auto columns get their content's natural width (capped so the rest still fit),
/// and fractions share what is left. When fixed widths alone overflow, every column shrinks proportionally.
enum TrackSizing {
    static func resolve(_ tracks: [TrackWidth], total: Double, gap: Double, natural: (Int) -> Double) -> [Double] {
        let space = max(0, total - gap * Double(max(0, tracks.count - 1)))
        var widths = Array(repeating: 0.0, count: tracks.count)
        var used = 0.0, fractions = 0.0
        for (i, track) in tracks.enumerated() {
            switch track {
            case .fixed(let points): widths[i] = points
            case .percent(let share): widths[i] = space * share / 100
            case .fraction(let share): fractions += share
            case .auto: continue
            }
            used += widths[i]
        }
        let autos = tracks.indices.filter { tracks[$0] == .auto }
        if !autos.isEmpty {
            let room = max(0, space - used)
            let wanted = autos.map { ceil(natural($0) + 0.5) }
            let sum = wanted.reduce(0, +)
            let scale = sum > room && sum > 0 ? room / sum : 1
            for (k, i) in autos.enumerated() { widths[i] = wanted[k] * scale; used += widths[i] }
        }
        let left = max(0, space - used)
        if fractions > 0 {
            for (i, track) in tracks.enumerated() { if case .fraction(let share) = track { widths[i] = left * share / fractions } }
        } else if used > space, used > 0 {
            widths = widths.map { $0 * space / used }
        }
        return widths
    }
}
import Foundation
