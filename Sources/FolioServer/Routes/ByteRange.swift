import Foundation

/// One byte range of a document (`Range: bytes=…`, RFC 9110 section 14), so an interrupted download resumes where it
/// stopped and a PDF viewer fetches the part it shows first. One range per request: a request for several gets the
/// whole document, which RFC 9110 allows.
struct ByteRange: Equatable {
    /// First and last byte, both included.
    let first: Int, last: Int
    var count: Int { last - first + 1 }

    enum Outcome: Equatable { case whole, part(ByteRange), unsatisfiable }

    /// What `header` asks of a document of `size` bytes. No header, another unit, several ranges or a malformed one: the
    /// whole document. A range that starts past its end (or an empty suffix): unsatisfiable.
    static func outcome(of header: String?, size: Int) -> Outcome {
        guard let header else { return .whole }
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.lowercased().hasPrefix("bytes=") else { return .whole }
        let spec = value.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let from = spec[..<dash], to = spec[spec.index(after: dash)...]
        func number(_ s: Substring) -> Int? { s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) && !s.isEmpty ? Int(s) : nil }
        if from.isEmpty {
            // The last n bytes.
            guard let n = number(to) else { return .whole }
            guard n > 0, size > 0 else { return .unsatisfiable }
            return .part(ByteRange(first: max(0, size - n), last: size - 1))
        }
        guard let first = number(from) else { return .whole }
        let last: Int
        if to.isEmpty { last = size - 1 } else {
            guard let l = number(to), l >= first else { return .whole }
            last = min(l, size - 1)
        }
        guard first < size else { return .unsatisfiable }
        return .part(ByteRange(first: first, last: last))
    }
}
