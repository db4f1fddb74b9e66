/// `Content-Disposition` for a download name in any script (RFC 6266): `filename="…"` in ASCII for every client, and
/// `filename*=UTF-8''…` with the name itself when it is not plain ASCII, which browsers prefer.
enum ContentDisposition {
    /// `disposition` is `attachment` or `inline`; `filename` is already safe (``RenderHandler/filename(_:template:format:)``:
    /// no control characters, quotes or backslashes).
    static func value(_ disposition: String, filename: String) -> String {
        let ascii = String(filename.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        if ascii == filename { return "\(disposition); filename=\"\(filename)\"" }
        return "\(disposition); filename=\"\(ascii)\"; filename*=UTF-8''\(percentEncoded(filename))"
    }

    /// RFC 8187's value characters as they are, every other byte of the UTF-8 as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "!#$&+-.^_`|~".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
