import Foundation

/// Formatting for spectacle prescriptions and lab measurements (DOMAIN.md §2 and §5).
///
/// Values use `.` and ASCII `-` as the machine data does, unless the format context's `localizeOpticalDecimals` is
/// set (patient documents in de-DE print `-2,25`). Null prints as nothing, so an empty field stays blank.
enum OpticalFilters {
    static let all: [Filter] = [
        Filter("diopter", arity: 0...1, summary: "diopter: -0.75 → -0.75, 2 → +2.00, 0 → PL (or diopter('Plano'))") {
            input, arguments, context throws(RenderError) in
            try signedPower(input, zero: try context.string(arguments, 0) ?? context.format.planoText, context)
        },
        Filter("sphere", arity: 0...1, summary: "sphere: like diopter; 0 → PL") {
            input, arguments, context throws(RenderError) in
            try signedPower(input, zero: try context.string(arguments, 0) ?? context.format.planoText, context)
        },
        Filter("cylinder", arity: 0...1, summary: "cylinder: -0.50 → -0.50; null or 0 → DS (or cylinder('SPH'))") {
            input, arguments, context throws(RenderError) in
            let none = try context.string(arguments, 0) ?? "DS"
            if case .null = input { return .string(none) }
            return try signedPower(input, zero: none, context)
        },
        Filter("axis", arity: 0...1, summary: "axis: 5 → 005°, 0 → 180°; axis('') → 005") {
            input, arguments, context throws(RenderError) in
            let suffix = try context.string(arguments, 0) ?? "°"
            guard let degrees = try number(input, context) else { return .string("") }
            var rounded = Int(degrees.rounded())
            guard (0...180).contains(rounded) else { throw context.error("an axis is 0 to 180 degrees, found \(input.plainText)") }
            if rounded == 0 { rounded = 180 }  // 0 and 180 are the same meridian; writers use 180.
            let digits = String(rounded)
            return .string(String(repeating: "0", count: max(0, 3 - digits.count)) + digits + suffix)
        },
        Filter("prism", arity: 0...1,
               summary: "prism: {amount: 1.25, base: down} → 1.25Δ BD; prism('angle') → 1.25Δ @ 270°") {
            input, arguments, context throws(RenderError) in
            try prism(input, useAngle: (try context.string(arguments, 0)) == "angle", context)
        },
        Filter("pd", arity: 0...1, summary: "pd: 63.5 → 63.5; {right: 32, left: 31.5} → 32.0 / 31.5") {
            input, arguments, context throws(RenderError) in
            let digits = try context.integer(arguments, 0, default: 1)
            switch input {
            case .null: return .string("")
            case .object:
                let right = try number(input["right"] ?? .null, context)
                let left = try number(input["left"] ?? .null, context)
                if right != nil || left != nil {
                    let r = right.map { fixed($0, digits: digits, context) } ?? "–"
                    let l = left.map { fixed($0, digits: digits, context) } ?? "–"
                    return .string("\(r) / \(l)")
                }
                if let binocular = try number(input["binocular"] ?? .null, context) {
                    return .string(fixed(binocular, digits: digits, context))
                }
                return .string("")
            default:
                guard let value = try number(input, context) else { return .string("") }
                return .string(fixed(value, digits: digits, context))
            }
        },
        Filter("mm", arity: 0...1, summary: "mm: 20 → 20.0 mm; mm(2) → 20.00 mm") {
            input, arguments, context throws(RenderError) in
            let digits = try context.integer(arguments, 0, default: 1)
            guard let value = try number(input, context) else { return .string("") }
            return .string(fixed(value, digits: digits, context) + " mm")
        },
        Filter("transpose", summary: "transpose: {sphere, cylinder, axis} in the other cylinder form") {
            input, _, context throws(RenderError) in
            guard case .object(var rx) = input else {
                if case .null = input { return .null }
                throw context.wrongInput(input, expected: "an object with sphere, cylinder and axis")
            }
            guard let sphere = try number(rx["sphere"] ?? .null, context) else {
                throw context.error("the prescription has no sphere")
            }
            let cylinder = try number(rx["cylinder"] ?? .null, context) ?? 0
            if cylinder == 0 { return input }
            let axis = try number(rx["axis"] ?? .null, context) ?? 180
            var newAxis = Int(axis.rounded()) + 90
            if newAxis > 180 { newAxis -= 180 }
            rx["sphere"] = .number(((sphere + cylinder) * 100).rounded() / 100)
            rx["cylinder"] = .number(-cylinder)
            rx["axis"] = .integer(Int64(newAxis))
            return .object(rx)
        },
    ]

    static func number(_ input: Value, _ context: FilterContext) throws(RenderError) -> Double? {
        switch input {
        case .null: return nil
        case .integer(let i): return Double(i)
        case .number(let d) where d.isFinite: return d
        default: throw context.wrongInput(input, expected: "a number")
        }
    }

    /// `+2.00`, `-0.75`, or `zero` for a value that rounds to 0.00.
    static func signedPower(_ input: Value, zero: String, _ context: FilterContext) throws(RenderError) -> Value {
        guard let value = try number(input, context) else { return .string("") }
        let hundredths = (value * 100).rounded(.toNearestOrAwayFromZero)
        if hundredths == 0 { return .string(zero) }
        return .string((hundredths > 0 ? "+" : "-") + fixed(abs(value), digits: 2, context))
    }

    /// Fixed decimals with `.` (or the locale's separator when the context localises optical values).
    static func fixed(_ value: Double, digits: Int, _ context: FilterContext) -> String {
        let digits = min(max(digits, 0), 6)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        let whole = Int64(scaled / scale)
        var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let fraction = String(Int64(scaled) - whole * Int64(scale))
            text += context.format.localizeOpticalDecimals
                ? SharedFormatters.decimalSeparator(locale: context.format.locale) : "."
            text += String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }

    static func prism(_ input: Value, useAngle: Bool, _ context: FilterContext) throws(RenderError) -> Value {
        switch input {
        case .null: return .string("")
        case .integer, .number:
            guard let amount = try number(input, context), amount != 0 else { return .string("") }
            return .string(fixed(amount, digits: 2, context) + "Δ")
        case .object(let prism):
            guard let amount = try number(prism["amount"] ?? .null, context), amount != 0 else { return .string("") }
            var text = fixed(amount, digits: 2, context) + "Δ"
            let angle = try number(prism["base_angle_deg"] ?? .null, context)
            if !useAngle, case .string(let base)? = prism["base"] {
                let code: String = switch base.lowercased() {
                case "up", "bu", "u": "BU"
                case "down", "bd", "d": "BD"
                case "in", "bi", "i": "BI"
                case "out", "bo", "o": "BO"
                default: base.uppercased()
                }
                text += " " + code
            } else if let angle {
                text += " @ \(Int(angle.rounded()))°"
            }
            return .string(text)
        default:
            throw context.wrongInput(input, expected: "a prism object {amount, base, base_angle_deg}")
        }
    }
}
