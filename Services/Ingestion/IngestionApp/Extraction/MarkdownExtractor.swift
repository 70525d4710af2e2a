import Foundation

/// `text/markdown`: the text as a reader sees it, with headings (ATX `#` and setext underlines)
/// as sections. Syntax that only formats is dropped (heading and fence markers, `**`, `__`, `~~`,
/// link targets, code-span backticks, table separator rows, link reference definitions, a YAML
/// front matter block, HTML comments); fenced code keeps its content and is never read as headings.
enum MarkdownExtractor {
    static func extract(_ data: Data, charset: String?, limits: IngestionLimits) throws(ExtractionError) -> ExtractedDocument {
        let source = try TextDecoding.decode(data, charset: charset)
        var builder = DocumentBuilder(format: .markdown, maxUTF8Bytes: limits.maxExtractedTextBytes)
        let unified = source.utf8.contains(0x0D) ? source.replacing("\r\n", with: "\n").replacing("\r", with: "\n") : source
        var lines = splitLines(unified)[...]
        skipFrontMatter(&lines)

        var run: [String] = []  // lines since the last heading
        var fence: (marker: Unicode.Scalar, length: Int)?
        var inComment = false

        func flush(_ builder: inout DocumentBuilder) throws(ExtractionError) {
            if !run.isEmpty { try builder.appendText(run.joined(separator: "\n")) }
            run.removeAll(keepingCapacity: true)
        }

        for rawLine in lines {
            if let open = fence {
                if let close = fenceMarker(rawLine), close.marker == open.marker, close.length >= open.length,
                   rawLine.drop(while: { $0 == " " }).dropFirst(close.length).allSatisfy(\.isWhitespace) {
                    fence = nil
                    run.append("")
                } else {
                    run.append(String(rawLine))
                }
                continue
            }
            var line = rawLine
            if inComment {
                guard let end = line.utf8.firstRange(of: commentClose) else { continue }
                line = line[end.upperBound...]
                inComment = false
            }
            if line.utf8.contains(UInt8(ascii: "<")) {
                let (visible, opensComment) = removingComments(line)
                inComment = opensComment
                line = visible[...]
            }
            // Block syntax starts with one of a few ASCII characters; most lines start otherwise.
            guard let first = firstSignificantByte(line), Self.blockSyntaxBytes.contains(first) else {
                run.append(inline(line))
                continue
            }

            if let open = fenceMarker(line) {
                fence = open
                run.append("")
                continue
            }
            if let (level, text) = atxHeading(line) {
                try flush(&builder)
                try builder.appendHeading(inline(text), level: level)
                continue
            }
            if let level = setextLevel(line), let last = run.last, !last.allSatisfy(\.isWhitespace) {
                // The paragraph just read (back to the last blank line) is the heading.
                var headingLines: [String] = []
                while let candidate = run.last, !candidate.allSatisfy(\.isWhitespace) {
                    headingLines.insert(run.removeLast(), at: 0)
                }
                try flush(&builder)
                try builder.appendHeading(headingLines.joined(separator: " "), level: level)
                continue
            }
            if isThematicBreak(line) {
                run.append("")
                continue
            }
            if isTableSeparator(line) || isLinkReferenceDefinition(line) { continue }
            run.append(inline(strippingBlockquote(line)))
        }
        try flush(&builder)
        return builder.finish()
    }

    // MARK: Block syntax

    private static let blockSyntaxBytes = Set("#`~=-*_|:[>".utf8)

    /// The first byte after at most three spaces of indentation (nil for a blank or code line).
    private static func firstSignificantByte(_ line: Substring) -> UInt8? {
        var spaces = 0
        for byte in line.utf8 {
            if byte == UInt8(ascii: " ") {
                spaces += 1
                if spaces > 3 { return nil }
            } else {
                return byte
            }
        }
        return nil
    }

    /// A `---` line opening the file, closed by `---` or `...` within 100 lines.
    private static func skipFrontMatter(_ lines: inout ArraySlice<Substring>) {
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else { return }
        for index in lines.indices.dropFirst().prefix(100) {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            if trimmed == "---" || trimmed == "..." {
                lines = lines[(index + 1)...]
                return
            }
        }
    }

    private static func indentation(_ line: Substring) -> Int {
        line.prefix(while: { $0 == " " }).count
    }

    /// ``` or ~~~ (three or more) after at most three spaces.
    private static func fenceMarker(_ line: Substring) -> (marker: Unicode.Scalar, length: Int)? {
        guard indentation(line) <= 3 else { return nil }
        let rest = line.drop(while: { $0 == " " })
        guard let first = rest.unicodeScalars.first, first == "`" || first == "~" else { return nil }
        let length = rest.unicodeScalars.prefix(while: { $0 == first }).count
        guard length >= 3 else { return nil }
        // A backtick fence's info string may not contain backticks (that is inline code).
        if first == "`", rest.dropFirst(length).contains("`") { return nil }
        return (first, length)
    }

    /// `# Heading ##` → (1, "Heading").
    private static func atxHeading(_ line: Substring) -> (Int, Substring)? {
        guard indentation(line) <= 3 else { return nil }
        let rest = line.drop(while: { $0 == " " })
        let level = rest.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(level) else { return nil }
        let afterHashes = rest.dropFirst(level)
        guard afterHashes.isEmpty || afterHashes.first == " " || afterHashes.first == "\t" else { return nil }
        var text = afterHashes.trimmingPrefix(while: \.isWhitespace)
        // An optional closing run of #s, separated by a space.
        while text.last?.isWhitespace == true { text = text.dropLast() }
        let closing = text.reversed().prefix(while: { $0 == "#" }).count
        if closing > 0 {
            let before = text.dropLast(closing)
            if before.isEmpty || before.last == " " || before.last == "\t" { text = before }
        }
        return (level, text)
    }

    /// `===` under a paragraph is level 1, `---` level 2.
    private static func setextLevel(_ line: Substring) -> Int? {
        guard indentation(line) <= 3 else { return nil }
        let marks = line.trimmingCharacters(in: .whitespaces)
        guard let first = marks.first, first == "=" || first == "-", marks.allSatisfy({ $0 == first }) else { return nil }
        return first == "=" ? 1 : 2
    }

    /// `***`, `---`, `___` (three or more, spaces allowed between).
    private static func isThematicBreak(_ line: Substring) -> Bool {
        guard indentation(line) <= 3 else { return false }
        let marks = line.filter { !$0.isWhitespace }
        guard let first = marks.first, "*-_".contains(first), marks.count >= 3 else { return false }
        return marks.allSatisfy { $0 == first }
    }

    /// `|---|:---:|` under a table header.
    private static func isTableSeparator(_ line: Substring) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.contains("-"), trimmed.contains("|") || trimmed.hasPrefix(":") else { return false }
        return trimmed.allSatisfy { "|-: \t".contains($0) }
    }

    /// `[label]: https://...` lines define link targets; they are not text.
    private static func isLinkReferenceDefinition(_ line: Substring) -> Bool {
        guard indentation(line) <= 3 else { return false }
        let rest = line.drop(while: { $0 == " " })
        guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return false }
        let after = rest[close...].dropFirst()
        return after.first == ":" && rest.index(after: rest.startIndex) < close
    }

    private static func strippingBlockquote(_ line: Substring) -> Substring {
        var rest = line
        while indentation(rest) <= 3, rest.drop(while: { $0 == " " }).first == ">" {
            rest = rest.drop(while: { $0 == " " }).dropFirst()
            if rest.first == " " { rest = rest.dropFirst() }
        }
        return rest
    }

    private static let commentOpen = Array("<!--".utf8)
    private static let commentClose = Array("-->".utf8)

    /// Lines split at `\n` on the UTF-8 view (splitting on Characters is several times slower).
    private static func splitLines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        var start = text.startIndex
        var index = text.utf8.startIndex
        while index < text.utf8.endIndex {
            if text.utf8[index] == 0x0A {
                lines.append(text[start..<index])
                start = text.utf8.index(after: index)
            }
            index = text.utf8.index(after: index)
        }
        lines.append(text[start...])
        return lines
    }

    /// The line without `<!-- ... -->` comments, and whether a comment stays open at its end.
    private static func removingComments(_ line: Substring) -> (String, Bool) {
        guard line.utf8.firstRange(of: commentOpen) != nil else { return (String(line), false) }
        var out = ""
        var rest = line
        while let open = rest.utf8.firstRange(of: commentOpen) {
            out += rest[..<open.lowerBound]
            let tail = rest[open.upperBound...]
            guard let close = tail.utf8.firstRange(of: commentClose) else { return (out, true) }
            rest = tail[close.upperBound...]
        }
        out += rest
        return (out, false)
    }

    // MARK: Inline syntax

    /// Links and images become their text, code spans lose their backticks, `**`/`__`/`~~` go,
    /// backslash escapes resolve.
    static func inline(_ text: Substring) -> String {
        guard text.utf8.contains(where: { inlineSyntaxBytes.contains($0) }) else { return String(text) }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        inline(scalars[...], into: &out)
        return String(out)
    }

    private static func inline(_ s: ArraySlice<Unicode.Scalar>, into out: inout String.UnicodeScalarView) {
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            switch c {
            case "\\" where i + 1 < s.endIndex && asciiPunctuation.contains(s[i + 1]):
                out.append(s[i + 1])
                i += 2
                continue
            case "!" where i + 1 < s.endIndex && s[i + 1] == "[":
                if let (label, end) = link(s, at: i + 1) {
                    inline(label, into: &out)
                    i = end
                    continue
                }
            case "[":
                if let (label, end) = link(s, at: i) {
                    inline(label, into: &out)
                    i = end
                    continue
                }
            case "`":
                let run = s[i...].prefix(while: { $0 == "`" }).count
                if let close = closingBackticks(s, from: i + run, length: run) {
                    out.append(contentsOf: s[(i + run)..<close])
                    i = close + run
                } else {
                    out.append(contentsOf: s[i..<(i + run)])
                    i += run
                }
                continue
            case "*", "_", "~":
                if i + 1 < s.endIndex && s[i + 1] == c {
                    i += 2
                    continue
                }
            case "<":
                // <https://example.com> autolinks keep their address.
                if let close = s[i...].firstIndex(of: ">"), close > i + 1 {
                    let inner = s[(i + 1)..<close]
                    if !inner.contains(" "), let colon = inner.firstIndex(of: ":"), colon > inner.startIndex,
                       inner[..<colon].allSatisfy({ $0.properties.isAlphabetic }) {
                        out.append(contentsOf: inner)
                        i = close + 1
                        continue
                    }
                }
            default: break
            }
            out.append(c)
            i += 1
        }
    }

    private static let inlineSyntaxBytes = Set("[`*_~\\<".utf8)

    private static let asciiPunctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)

    /// How far a link's label, a link's target and a code span may reach (CommonMark caps labels
    /// at 999 characters); the bounds keep lines full of `[` or backticks linear.
    private static let maxLabel = 1_000
    private static let maxTarget = 2_000
    private static let maxCodeSpan = 10_000

    /// `[label](target)` or `[label][ref]` starting at `open` → the label and the index after it.
    private static func link(_ s: ArraySlice<Unicode.Scalar>, at open: Int) -> (ArraySlice<Unicode.Scalar>, Int)? {
        var depth = 0
        var close: Int?
        var j = open
        while j < min(s.endIndex, open + maxLabel) {
            if s[j] == "\\" { j += 2; continue }
            if s[j] == "[" { depth += 1 }
            if s[j] == "]" {
                depth -= 1
                if depth == 0 { close = j; break }
            }
            j += 1
        }
        guard let close, close + 1 < s.endIndex else { return nil }
        let label = s[(open + 1)..<close]
        let (opener, closer): (Unicode.Scalar, Unicode.Scalar) = s[close + 1] == "(" ? ("(", ")") : ("[", "]")
        guard s[close + 1] == opener else { return nil }
        var k = close + 2
        var nesting = 1
        while k < min(s.endIndex, close + maxTarget) {
            if s[k] == opener { nesting += 1 }
            if s[k] == closer {
                nesting -= 1
                if nesting == 0 { return (label, k + 1) }
            }
            k += 1
        }
        return nil
    }

    private static func closingBackticks(_ s: ArraySlice<Unicode.Scalar>, from start: Int, length: Int) -> Int? {
        var j = start
        while j < min(s.endIndex, start + maxCodeSpan) {
            if s[j] == "`" {
                let run = s[j...].prefix(while: { $0 == "`" }).count
                if run == length { return j }
                j += run
            } else {
                j += 1
            }
        }
        return nil
    }
}
