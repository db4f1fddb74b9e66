/// How long to wait before the next attempt after a failure.
///
/// A value, not an enum, so new strategies can be added without breaking callers:
/// `.exponential()` (30 s × 3ⁿ with 20 % jitter), `.fixed(.seconds(10))`, `.none`.
public struct RetryPolicy: Hashable, Sendable, Codable, CustomStringConvertible {
    enum Kind: String, Codable, Sendable { case none, fixed, exponential }
    let kind: Kind
    let baseMs: Int64
    let factor: Double
    let jitter: Double
    let maxMs: Int64

    /// `base × factor^(attempt-1)`, capped at `maxDelay`, spread by ± `jitter` (a fraction).
    public static func exponential(base: Duration = .seconds(30), factor: Double = 3, jitter: Double = 0.2,
                                   maxDelay: Duration = .seconds(6 * 3600)) -> RetryPolicy {
        RetryPolicy(kind: .exponential, baseMs: base.milliseconds, factor: factor, jitter: jitter, maxMs: maxDelay.milliseconds)
    }
    /// The same delay after every failure.
    public static func fixed(_ delay: Duration, jitter: Double = 0) -> RetryPolicy {
        RetryPolicy(kind: .fixed, baseMs: delay.milliseconds, factor: 1, jitter: jitter, maxMs: delay.milliseconds)
    }
    /// Retry at once.
    public static let none = RetryPolicy(kind: .none, baseMs: 0, factor: 1, jitter: 0, maxMs: 0)
    /// 30 s, 90 s, 270 s, 810 s … with jitter.
    public static let `default` = RetryPolicy.exponential()

    /// The delay before attempt `failedAttempt + 1`, in milliseconds.
    public func delayMs(afterAttempt failedAttempt: Int) -> Int64 {
        let raw: Double
        switch kind {
        case .none: return 0
        case .fixed: raw = Double(baseMs)
        case .exponential: raw = Double(baseMs) * pow(factor, Double(max(0, failedAttempt - 1)))
        }
        let capped = min(raw, Double(maxMs))
        let spread = jitter > 0 ? capped * Double.random(in: -jitter...jitter) : 0
        return max(0, Int64(capped + spread))
    }

    /// A compact text form kept in the job record: `none`, `fixed:ms:jitter`, `exp:ms:factor:jitter:maxMs`.
    public var description: String {
        switch kind {
        case .none: "none"
        case .fixed: "fixed:\(baseMs):\(jitter)"
        case .exponential: "exp:\(baseMs):\(factor):\(jitter):\(maxMs)"
        }
    }
    /// Parses ``description``. Every leased job carries its policy as text, and a process sees few distinct policies, so
    /// the parsed ones are kept (at most 64).
    public init?(encoded: String) {
        if let known = Self.parsed.withLock({ $0[encoded] }) { self = known; return }
        guard let policy = Self.parse(encoded) else { return nil }
        Self.parsed.withLock { if $0.count < 64 { $0[encoded] = policy } }
        self = policy
    }

    private static let parsed = LockedState<[String: RetryPolicy]>([:])

    private static func parse(_ encoded: String) -> RetryPolicy? {
        let p = encoded.split(separator: ":").map(String.init)
        switch p.first {
        case "none": return RetryPolicy.none
        case "fixed" where p.count == 3:
            guard let ms = Int64(p[1]), let j = Double(p[2]) else { return nil }
            return RetryPolicy(kind: .fixed, baseMs: ms, factor: 1, jitter: j, maxMs: ms)
        case "exp" where p.count == 5:
            guard let ms = Int64(p[1]), let f = Double(p[2]), let j = Double(p[3]), let mx = Int64(p[4]) else { return nil }
            return RetryPolicy(kind: .exponential, baseMs: ms, factor: f, jitter: j, maxMs: mx)
        default: return nil
        }
    }
    init(kind: Kind, baseMs: Int64, factor: Double, jitter: Double, maxMs: Int64) {
        self.kind = kind; self.baseMs = baseMs; self.factor = factor; self.jitter = jitter; self.maxMs = maxMs
    }
}

private func pow(_ a: Double, _ b: Double) -> Double {
    var r = 1.0
    var i = 0
    while Double(i) < b { r *= a; i += 1 }
    return r
}
