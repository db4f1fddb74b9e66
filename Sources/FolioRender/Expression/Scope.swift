/// Everything an expression can read: the data, the local bindings of enclosing `each` loops, the page numbers and
/// the format context.
///
/// A cheap value type: copying is a few retains, and binding a loop variable allocates one small node that shares
/// the rest of the chain, so a 1,000-row table binds its rows without copying any data.
///
/// Names resolve innermost first: loop variables (newest first), then `loop` (the innermost loop's state), then `page`
/// and `pages`, then the top-level keys of the data. `page` and `pages` are reserved: they are null until the caller
/// sets them (while measuring, before pagination).
public struct Scope: Sendable {
    /// The request's data; its top-level keys are names (`invoice.number`).
    public var data: Value
    /// The current page number, 1-based; nil while it is not known yet.
    public var page: Int?
    /// The number of pages; nil while it is not known yet.
    public var pages: Int?
    /// Locale, time zone and currency for the formatting filters.
    public var format: FormatContext
    var locals: LocalBinding?

    public init(data: Value, format: FormatContext = .init(), page: Int? = nil, pages: Int? = nil) {
        self.data = data
        self.format = format
        self.page = page
        self.pages = pages
    }

    /// This scope with `name` bound to `value` (a variable an element introduces).
    public func binding(_ name: String, to value: Value) -> Scope {
        var copy = self
        copy.locals = LocalBinding(name: name, value: value, loop: nil, parent: locals)
        return copy
    }

    /// This scope inside one iteration of an `each` loop: `name` is the item, and `loop` describes the iteration
    /// (`loop.index` 0-based, `loop.number` 1-based, `loop.first`, `loop.last`, `loop.length`).
    public func iteration(_ name: String, item: Value, index: Int, count: Int) -> Scope {
        var copy = self
        copy.locals = LocalBinding(name: name, value: item, loop: LoopState(index: index, count: count), parent: locals)
        return copy
    }

    /// The value a name refers to, or nil when nothing binds it.
    public func lookup(_ name: String) -> Value? {
        var node = locals
        while let binding = node {
            if binding.name == name { return binding.value }
            node = binding.parent
        }
        if name == "loop", let loop = currentLoop { return loop.value }
        if name == "page" { return page.map { .integer(Int64($0)) } ?? .null }
        if name == "pages" { return pages.map { .integer(Int64($0)) } ?? .null }
        if case .object(let object) = data { return object[name] }
        return nil
    }

    /// The innermost loop's state.
    public var currentLoop: LoopState? {
        var node = locals
        while let binding = node {
            if let loop = binding.loop { return loop }
            node = binding.parent
        }
        return nil
    }
}

/// The state of one `each` iteration, visible to expressions as `loop`.
public struct LoopState: Sendable, Hashable {
    /// 0-based position of the item.
    public var index: Int
    /// Number of items.
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// One member of `loop` without building the whole object.
    func member(_ key: String) -> Value? {
        switch key {
        case "index": .integer(Int64(index))
        case "number": .integer(Int64(index + 1))
        case "first": .bool(index == 0)
        case "last": .bool(index == count - 1)
        case "length", "count": .integer(Int64(count))
        default: nil
        }
    }

    /// `loop` as an object.
    var value: Value {
        .object(ValueObject([
            ("index", .integer(Int64(index))), ("number", .integer(Int64(index + 1))),
            ("first", .bool(index == 0)), ("last", .bool(index == count - 1)), ("length", .integer(Int64(count))),
        ]))
    }
}

/// One link of the immutable chain of local bindings.
final class LocalBinding: Sendable {
    let name: String
    let value: Value
    let loop: LoopState?
    let parent: LocalBinding?

    init(name: String, value: Value, loop: LoopState?, parent: LocalBinding?) {
        self.name = name
        self.value = value
        self.loop = loop
        self.parent = parent
    }
}
