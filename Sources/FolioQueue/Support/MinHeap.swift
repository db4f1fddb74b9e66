/// A binary min-heap; the embedded driver's ordered sets (entries are removed lazily by their owners).
struct MinHeap<Element: Comparable> {
    private(set) var items: [Element] = []
    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }
    var min: Element? { items.first }

    mutating func insert(_ e: Element) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[i] < items[p] { items.swapAt(i, p); i = p } else { break }
        }
    }

    @discardableResult
    mutating func popMin() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let e = items.removeLast()
        var i = 0
        let n = items.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < n && items[l] < items[m] { m = l }
            if r < n && items[r] < items[m] { m = r }
            if m == i { break }
            items.swapAt(i, m); i = m
        }
        return e
    }

    /// Removes every element failing `keep` and restores heap order; O(n).
    mutating func filter(_ keep: (Element) -> Bool) {
        let kept = items.filter(keep)
        items = []
        for e in kept { insert(e) }
    }
}

/// An entry of a sorted set: a score and a job id, ordered by score then id (as a Redis sorted set orders members).
struct ScoredID: Comparable {
    var score: Int64
    var id: JobID
    static func < (a: ScoredID, b: ScoredID) -> Bool { a.score != b.score ? a.score < b.score : a.id < b.id }
}
