/// The filters expressions may call, by name.
///
/// ``standard`` holds every built-in filter; a caller that wants more copies it and registers its own before parsing
/// templates.
public struct FilterRegistry: Sendable {
    private var filters: [String: Filter] = [:]

    public init(_ filters: [Filter] = []) {
        for filter in filters { register(filter) }
    }

    /// Adds a filter, replacing any of the same name.
    public mutating func register(_ filter: Filter) { filters[filter.name] = filter }

    /// The filter registered under `name`.
    public subscript(name: String) -> Filter? { filters[name] }

    /// Registered names, sorted.
    public var names: [String] { filters.keys.sorted() }

    /// The registered name closest to `name` (at most two edits away), for "did you mean" hints.
    public func suggestion(for name: String) -> String? {
        var best: (name: String, distance: Int)?
        for candidate in filters.keys {
            let distance = editDistance(name.lowercased(), candidate)
            if distance <= 2, distance < (best?.distance ?? .max) || (distance == best?.distance && candidate < best!.name) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// All built-in filters: text, collections, numbers, money, dates and optical values.
    public static let standard: FilterRegistry = {
        var filters: [Filter] = TextFilters.all
        filters += CollectionFilters.all
        filters += NumberFilters.all
        filters += MoneyFilter.all
        filters += DateFilters.all
        filters += OpticalFilters.all
        return FilterRegistry(filters)
    }()
}

/// Levenshtein distance over Unicode scalars.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
