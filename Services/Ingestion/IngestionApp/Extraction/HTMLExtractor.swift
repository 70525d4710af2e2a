import Foundation

/// `text/html`: the visible text with its block structure. A tolerant scanner (real pages are
/// rarely well-formed, so no XML parser): the content of `script`, `style`, `noscript` and
/// `template` is dropped with all tags and comments; character references are decoded; block
/// elements end paragraphs, `br`/`li`/`tr` end lines, table cells are joined by ` | `;
/// whitespace inside text collapses except in `pre`; `h1`–`h6` become sections; `<title>` is the
/// document's title. Text of unclosed elements is kept, never lost.
enum HTMLExtractor {
    static func extract(_ data: Data, charset: String?, limits: IngestionLimits) throws(ExtractionError) -> ExtractedDocument {
        var scanner = HTMLScanner(source: try decode(data, charset: charset),
                                  builder: DocumentBuilder(format: .html, maxUTF8Bytes: limits.maxExtractedTextBytes))
        return try scanner.run()
    }

    /// The declared charset or BOM decides; without one, UTF-8, and if that fails the page's own
    /// `<meta charset>` (legacy pages in Windows-1252).
    private static func decode(_ data: Data, charset: String?) throws(ExtractionError) -> String {
        do {
            return try TextDecoding.decode(data, charset: charset)
        } catch {
            guard charset == nil, let meta = metaCharset(data.prefix(2048)), meta != "utf-8", meta != "utf8" else { throw error }
            return try TextDecoding.decode(data, charset: meta)
        }
    }

    private static func metaCharset(_ head: Data) -> String? {
        let text = String(decoding: head.map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self).lowercased()
        guard let range = text.range(of: "charset=") else { return nil }
        let value = text[range.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
            .prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return value.isEmpty ? nil : String(value)
    }
}

private struct HTMLScanner {
    let s: [Unicode.Scalar]
    var builder: DocumentBuilder
    var i = 0
    /// Text of the block being read.
    var block = String.UnicodeScalarView()
    /// Level of the open `h1`–`h6`, whose text becomes a heading.
    var headingLevel: Int?
    var preDepth = 0
    var cellsInRow = 0

    init(source: String, builder: DocumentBuilder) {
        s = Array(source.unicodeScalars)
        self.builder = builder
    }

    /// Elements whose content is never text.
    static let dropped: Set<String> = ["script", "style", "noscript", "template"]
    /// Elements that end a paragraph where they open and where they close.
    static let blocks: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "caption", "center", "details", "dialog", "div", "dl",
        "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "html", "legend", "main",
        "menu", "nav", "ol", "p", "section", "summary", "table", "tbody", "thead", "tfoot", "ul",
    ]
    /// Elements that start a new line within a paragraph.
    static let lines: Set<String> = ["li", "dt", "dd", "tr", "option"]

    mutating func run() throws(ExtractionError) -> ExtractedDocument {
        while i < s.count {
            if s[i] == "<", try tag() { continue }
            let start = i
            i += 1
            while i < s.count, s[i] != "<" { i += 1 }
            appendText(s[start..<i])
        }
        try flush()
        return builder.finish()
    }

    // MARK: Tags

    /// Reads the markup at `i` (a `<`); false if it is a literal `<` in text.
    mutating func tag() throws(ExtractionError) -> Bool {
        guard i + 1 < s.count else { return false }
        let next = s[i + 1]
        if next == "!" || next == "?" {
            if matches("<!--", at: i) {
                i = endOf("-->", from: i + 4)
            } else {
                i = endOf(">", from: i + 2)  // doctype, CDATA markers, processing instructions
            }
            return true
        }
        let closing = next == "/"
        let nameStart = closing ? i + 2 : i + 1
        guard nameStart < s.count, s[nameStart].isASCII, s[nameStart].properties.isAlphabetic else { return false }
        var j = nameStart
        while j < s.count, s[j].isASCII, s[j].properties.isAlphabetic || s[j].properties.numericType != nil || s[j] == "-" || s[j] == ":" {
            j += 1
        }
        let name = String(String.UnicodeScalarView(s[nameStart..<j])).lowercased()
        i = endOfTag(from: j)
        if closing {
            try endTag(name)
        } else {
            try startTag(name)
        }
        return true
    }

    mutating func startTag(_ name: String) throws(ExtractionError) {
        if Self.dropped.contains(name) {
            i = endOfElement(name)
            return
        }
        if name == "title" {
            let close = closingTagStart(name, from: i)
            let raw = s[i..<close]
            i = close >= s.count ? s.count : endOfTag(from: close)
            if builder.title == nil {
                let title = TextNormalizer().normalize(HTMLEntities.decode(Substring(String(String.UnicodeScalarView(raw)))))
                    .replacing("\n", with: " ")
                builder.title = title.isEmpty ? nil : title
            }
            return
        }
        if let level = Self.headingLevel(name) {
            try flush()
            headingLevel = level
            return
        }
        switch name {
        case "br": block.append("\n")
        case "pre":
            try flush()
            preDepth += 1
        case "td", "th":
            if cellsInRow > 0 { block.append(contentsOf: " | ".unicodeScalars) }
            cellsInRow += 1
        default:
            if name == "tr" { cellsInRow = 0 }
            try blockOrLine(name)
        }
    }

    mutating func endTag(_ name: String) throws(ExtractionError) {
        if Self.headingLevel(name) != nil {
            try flush()
            return
        }
        switch name {
        case "pre":
            try flush()
            preDepth = max(0, preDepth - 1)
        default:
            try blockOrLine(name)
        }
    }

    /// A block element ends the paragraph (inside a heading it is only a space); a line element
    /// ends the line.
    mutating func blockOrLine(_ name: String) throws(ExtractionError) {
        if Self.blocks.contains(name) {
            if headingLevel != nil {
                block.append(" ")
            } else {
                try flush()
            }
        } else if Self.lines.contains(name) {
            newLine()
        }
    }

    static func headingLevel(_ name: String) -> Int? {
        guard name.count == 2, name.first == "h", let digit = name.last?.wholeNumberValue, (1...6).contains(digit) else { return nil }
        return digit
    }

    // MARK: Text

    mutating func appendText(_ raw: ArraySlice<Unicode.Scalar>) {
        let decoded = HTMLEntities.decode(Substring(String(String.UnicodeScalarView(raw))))
        for scalar in decoded.unicodeScalars {
            // Outside <pre>, line breaks in the source are just spaces.
            if preDepth == 0, scalar == "\n" || scalar == "\r" || scalar == "\t" || scalar == "\u{0C}" {
                block.append(" ")
            } else {
                block.append(scalar)
            }
        }
    }

    mutating func newLine() {
        if let last = block.last, last != "\n" { block.append("\n") }
    }

    /// Ends the current block: a heading if one is open, else a paragraph. Inside a heading, other
    /// block tags do not split it.
    mutating func flush() throws(ExtractionError) {
        defer {
            block.removeAll(keepingCapacity: true)
            cellsInRow = 0
        }
        if let level = headingLevel {
            headingLevel = nil
            try builder.appendHeading(String(block), level: level)
        } else {
            try builder.appendText(String(block))
        }
    }

    // MARK: Scanning helpers

    static func asciiLowercased(_ c: Unicode.Scalar) -> Unicode.Scalar {
        (0x41...0x5A).contains(c.value) ? Unicode.Scalar(c.value + 0x20)! : c
    }

    /// Whether `literal` (lower-case) is at `index`, ignoring ASCII case.
    func matches(_ literal: String, at index: Int) -> Bool {
        var j = index
        for scalar in literal.unicodeScalars {
            guard j < s.count, Self.asciiLowercased(s[j]) == scalar else { return false }
            j += 1
        }
        return true
    }

    /// Index just after the next `literal` from `index`, or the end of input.
    func endOf(_ literal: String, from index: Int) -> Int {
        var j = index
        while j < s.count {
            if s[j] == literal.unicodeScalars.first!, matches(literal, at: j) { return j + literal.unicodeScalars.count }
            j += 1
        }
        return s.count
    }

    /// Index after the `>` closing a tag's attributes (quoted values may hold `>`).
    func endOfTag(from index: Int) -> Int {
        var j = index
        var quote: Unicode.Scalar?
        while j < s.count {
            let c = s[j]
            if let open = quote {
                if c == open { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                return j + 1
            }
            j += 1
        }
        return s.count
    }

    /// Start of `</name` (any case) at or after `index`, or the end of input.
    func closingTagStart(_ name: String, from index: Int) -> Int {
        var j = index
        while j < s.count {
            if s[j] == "<", j + 1 < s.count, s[j + 1] == "/", matches(name, at: j + 2) {
                let after = j + 2 + name.unicodeScalars.count
                if after >= s.count || !(s[after].properties.isAlphabetic || s[after].properties.numericType != nil) { return j }
            }
            j += 1
        }
        return s.count
    }

    /// Index after the end tag of a raw-text element whose start tag ended at `i`.
    func endOfElement(_ name: String) -> Int {
        let close = closingTagStart(name, from: i)
        return close >= s.count ? s.count : endOfTag(from: close)
    }
}
