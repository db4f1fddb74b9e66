extension Value {
    /// Parses a JSON document (RFC 8259) into a `Value`.
    ///
    /// Integers without fraction or exponent that fit `Int64` become `.integer`, every other number `.number`; object
    /// keys keep their document order. The parser is strict: invalid UTF-8, control characters in strings, leading zeros,
    /// `NaN`, trailing commas, duplicate keys and anything after the value are errors. Every error is `.dataMalformed`
    /// and names the line:column of the input and the JSON path reached, e.g.
    /// `line 14, column 9 at $.lines[3].description: unterminated string`.
    public static func parse(json bytes: [UInt8], limits: DataLimits = .init()) throws(RenderError) -> Value {
        if bytes.count > limits.maxBytes {
            throw RenderError(.dataMalformed,
                              "data is \(bytes.count) bytes, more than the limit of \(limits.maxBytes) bytes")
        }
        let result: Result<Value, RenderError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, limits: limits)
            do throws(RenderError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses a JSON document and tells where each member of the top-level object lies in `bytes` (its value, from the
    /// first byte to the last), so a member can be passed on exactly as the client wrote it instead of written anew.
    public static func parseWithMemberRanges(json bytes: [UInt8], limits: DataLimits = .init())
        throws(RenderError) -> (value: Value, memberRanges: [String: Range<Int>]) {
        if bytes.count > limits.maxBytes {
            throw RenderError(.dataMalformed,
                              "data is \(bytes.count) bytes, more than the limit of \(limits.maxBytes) bytes")
        }
        let result: Result<(Value, [String: Range<Int>]), RenderError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, limits: limits)
            parser.memberRanges = [:]
            do throws(RenderError) {
                let value = try parser.parseDocument()
                return .success((value, parser.memberRanges ?? [:]))
            } catch {
                return .failure(error)
            }
        }
        let (value, ranges) = try result.get()
        return (value, ranges)
    }

    /// Parses JSON text; see ``parse(json:limits:)-([UInt8],_)``.
    public static func parse(json text: String, limits: DataLimits = .init()) throws(RenderError) -> Value {
        try parse(json: Array(text.utf8), limits: limits)
    }
}

/// A single-pass recursive-descent JSON parser over raw bytes.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: DataLimits
    var position = 0
    var depth = 0
    /// Where the parser is in the document, for error messages only.
    var path: [JSONPathComponent] = []
    /// When not `nil`, collects the byte range of each top-level member's value.
    var memberRanges: [String: Range<Int>]?

    init(bytes: UnsafeBufferPointer<UInt8>, limits: DataLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parseDocument() throws(RenderError) -> Value {
        // A UTF-8 byte order mark is tolerated (RFC 8259 §8.1 allows ignoring it).
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        if position == bytes.count { throw failure("the data is empty; expected a JSON value") }
        let value = try parseValue()
        skipWhitespace()
        if position != bytes.count { throw failure("unexpected \(describeByte()) after the end of the JSON value") }
        return value
    }

    // MARK: values

    mutating func parseValue() throws(RenderError) -> Value {
        guard position < bytes.count else { throw failure("unexpected end of data; expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            throw failure("unexpected \(describeByte()); expected a value (object, array, string, number, true, false or null)")
        }
    }

    mutating func enter() throws(RenderError) {
        depth += 1
        if depth > limits.maxDepth {
            throw failure("data is nested more than \(limits.maxDepth) levels deep")
        }
    }

    mutating func parseObject() throws(RenderError) -> Value {
        try enter()
        position += 1
        var object = ValueObject()
        skipWhitespace()
        if peek() != UInt8(ascii: "}") { object.reserveCapacity(8) }
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw failure(position < bytes.count ? "expected a quoted key, found \(describeByte())"
                                                     : "unexpected end of data inside an object")
            }
            let keyStart = position
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw failure("expected ':' after the key \"\(key)\"") }
            position += 1
            skipWhitespace()
            path.append(.key(key))
            let valueStart = position
            let value = try parseValue()
            if depth == 1, memberRanges != nil { memberRanges![key] = valueStart..<position }
            if !object.insertNew(key, value) {
                position = keyStart
                throw failure("the key \"\(key)\" appears twice in the same object")
            }
            path.removeLast()
            if object.count > limits.maxCollectionCount {
                throw failure("an object has more than \(limits.maxCollectionCount) members")
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(object)
            case nil:
                throw failure("unexpected end of data inside an object; expected ',' or '}'")
            default:
                throw failure("expected ',' or '}' in an object, found \(describeByte())")
            }
        }
    }

    mutating func parseArray() throws(RenderError) -> Value {
        try enter()
        position += 1
        var array: [Value] = []
        skipWhitespace()
        if peek() != UInt8(ascii: "]") { array.reserveCapacity(8) }
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            path.append(.index(array.count))
            if array.count >= limits.maxCollectionCount {
                throw failure("an array has more than \(limits.maxCollectionCount) elements")
            }
            array.append(try parseValue())
            path.removeLast()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .array(array)
            case nil:
                throw failure("unexpected end of data inside an array; expected ',' or ']'")
            default:
                throw failure("expected ',' or ']' in an array, found \(describeByte())")
            }
        }
    }

    mutating func expectWord(_ word: StaticString) throws(RenderError) {
        let count = word.utf8CodeUnitCount
        let start = position
        var matches = position + count <= bytes.count
        if matches {
            for i in 0..<count where bytes[start + i] != word.utf8Start[i] { matches = false; break }
        }
        guard matches else { throw failure("unexpected \(describeByte()); expected a value") }
        position += count
        if let next = peek(), isIdentifierByte(next) { throw failure("unexpected \(describeByte()) after \(word)") }
    }

    // MARK: strings

    /// Parses a string starting at its opening quote; validates UTF-8 and decodes escapes.
    mutating func parseString() throws(RenderError) -> String {
        let open = position
        position += 1
        let start = position
        // Fast path: no escapes. Find the closing quote, rejecting control characters.
        var ascii = true
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                try checkStringLength(position - start, open: open)
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                if ascii {
                    position += 1
                    return String(decoding: slice, as: UTF8.self)
                }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    position = start + firstInvalidUTF8Offset(slice)
                    throw failure("invalid UTF-8 in a string")
                }
                position += 1
                return text
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw failure("control character \(hex(b)) in a string; escape it as \\u00\(hexDigits(b))") }
            if b >= 0x80 { ascii = false }
            position += 1
        }
        if position >= bytes.count {
            position = open
            throw failure("unterminated string")
        }
        // Slow path: decode escapes into a byte buffer.
        var buffer = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while true {
            guard position < bytes.count else {
                position = open
                throw failure("unterminated string")
            }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { throw failure("control character \(hex(b)) in a string; escape it as \\u00\(hexDigits(b))") }
            if b != UInt8(ascii: "\\") {
                buffer.append(b)
                position += 1
                continue
            }
            position += 1
            guard position < bytes.count else { position = open; throw failure("unterminated string") }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): buffer.append(0x22)
            case UInt8(ascii: "\\"): buffer.append(0x5C)
            case UInt8(ascii: "/"): buffer.append(0x2F)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                          bytes[position + 1] == UInt8(ascii: "u") else {
                        throw failure("a high surrogate \\u\(String(scalar, radix: 16, uppercase: true)) must be followed by a low surrogate")
                    }
                    position += 2
                    let low = try parseHex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw failure("\\u\(String(low, radix: 16, uppercase: true)) is not a low surrogate")
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw failure("a lone low surrogate \\u\(String(scalar, radix: 16, uppercase: true)) is not a character")
                }
                buffer.append(contentsOf: Array(String(Unicode.Scalar(scalar)!).utf8))
            default:
                position -= 2
                throw failure("invalid escape '\\\(Unicode.Scalar(escape))' in a string")
            }
            try checkStringLength(buffer.count, open: open)
        }
        try checkStringLength(buffer.count, open: open)
        guard let text = String(validating: buffer, as: UTF8.self) else {
            position = open
            throw failure("invalid UTF-8 in a string")
        }
        position += 1
        return text
    }

    mutating func checkStringLength(_ length: Int, open: Int) throws(RenderError) {
        if length > limits.maxStringBytes {
            position = open
            throw failure("a string is longer than the limit of \(limits.maxStringBytes) bytes")
        }
    }

    mutating func parseHex4() throws(RenderError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("\\u must be followed by 4 hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - 0x41 + 10)
            default: throw failure("\\u must be followed by 4 hex digits")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    func firstInvalidUTF8Offset(_ slice: UnsafeBufferPointer<UInt8>) -> Int {
        var iterator = slice.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }

    // MARK: numbers

    mutating func parseNumber() throws(RenderError) -> Value {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { throw failure("expected a digit after '-'") }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = peek(), isDigit(next) { throw failure("numbers may not have leading zeros") }
        } else {
            while let b = peek(), isDigit(b) { position += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard let b = peek(), isDigit(b) else { throw failure("expected a digit after the decimal point") }
            while let b = peek(), isDigit(b) { position += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard let b = peek(), isDigit(b) else { throw failure("expected a digit in the exponent") }
            while let b = peek(), isDigit(b) { position += 1 }
        }
        if let next = peek(), isIdentifierByte(next) || next == UInt8(ascii: ".") {
            throw failure("unexpected \(describeByte()) in a number")
        }
        if isInteger, let integer = parseInt64(start..<position) { return .integer(integer) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            position = start
            throw failure("the number \(text) is too large")
        }
        return .number(double)
    }

    func parseInt64(_ range: Range<Int>) -> Int64? {
        var index = range.lowerBound
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var value: Int64 = 0
        while index < range.upperBound {
            let digit = Int64(bytes[index] - 0x30)
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = next
            index += 1
        }
        return value
    }

    // MARK: helpers

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }

    func hex(_ b: UInt8) -> String { "0x" + hexDigits(b) }
    func hexDigits(_ b: UInt8) -> String {
        let digits = String(b, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    func describeByte() -> String {
        guard position < bytes.count else { return "end of data" }
        let b = bytes[position]
        if b >= 0x21 && b < 0x7F { return "'\(Unicode.Scalar(b))'" }
        return "byte \(hex(b))"
    }

    /// An error at the current position: line and column (1-based, counted in characters) and the path reached.
    func failure(_ message: String) -> RenderError {
        var line = 1
        var lineStart = 0
        let end = min(position, bytes.count)
        for i in 0..<end where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        // Columns count characters: skip UTF-8 continuation bytes.
        var column = 1
        for i in lineStart..<end where bytes[i] & 0xC0 != 0x80 { column += 1 }
        let where_ = JSONPath.render(path)
        return RenderError(.dataMalformed, "line \(line), column \(column): \(message)", path: where_)
    }
}
