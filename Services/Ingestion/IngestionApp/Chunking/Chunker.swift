import CairnTokenizer

/// Splits a document's normalised text into overlapping chunks that fit the embedding model.
///
/// The text is tokenized once; a chunk is a run of at most `size - 2` word pieces (room for
/// [CLS] and [SEP]). Each chunk ends at the best boundary within its budget:
/// 1. before a heading, if the chunk is at least a quarter full (chunks stay within a section);
/// 2. else at the last paragraph break, 3. sentence end, or 4. line break that leaves it at least
///    half full;
/// 5. else at the last word boundary; 6. only a single word longer than the budget is cut
///    inside (between its word pieces).
/// The next chunk starts about `overlap` tokens before the end of the previous one: at a sentence
/// start if one keeps between half and all of the overlap, else at a word start; never before a
/// heading that ended the previous chunk (no overlap across sections).
/// A chunk never ends with a heading, and its heading path is that of its first token of content
/// (not of a heading line it starts with). Pure and deterministic: the same text and settings
/// always give the same chunks.
public struct Chunker<Tokenizer: ChunkTokenizer>: Sendable {
    public let tokenizer: Tokenizer
    public let settings: ChunkingSettings

    public init(tokenizer: Tokenizer, settings: ChunkingSettings = ChunkingSettings()) {
        self.tokenizer = tokenizer
        self.settings = settings
    }

    /// - Throws: ``ExtractionError/tooManyChunks(limit:)`` past `settings.maxChunks` (checked as
    ///   chunks are made, so a huge document costs no more than the limit).
    public func chunks(of document: ExtractedDocument, documentID: String, version: Int) throws(ExtractionError) -> [Chunk] {
        let scalars = Array(document.text.unicodeScalars)
        // Chunk texts are cut from the UTF-8 bytes (building them scalar by scalar is slow).
        let utf8 = Array(document.text.utf8)
        var utf8Offsets = [UInt32](repeating: 0, count: scalars.count + 1)
        for (index, scalar) in scalars.enumerated() { utf8Offsets[index + 1] = utf8Offsets[index] + UInt32(UTF8.width(scalar)) }
        let tokens = tokenizer.tokenize(document.text)
        guard !tokens.isEmpty else { return [] }
        let budget = max(1, settings.size - ChunkingSettings.specialTokens)
        let overlap = min(max(0, settings.overlap), budget / 2)
        // Each chunk adds at most `budget` new tokens: fail before the work if the limit cannot hold.
        if tokens.count > settings.maxChunks * budget { throw .tooManyChunks(limit: settings.maxChunks) }
        let outline = Outline(document.sections)
        let strengths = Self.boundaryStrengths(tokens: tokens, scalars: scalars, outline: outline)

        var chunks: [Chunk] = []
        var start = 0
        var previousEnd = 0
        while start < tokens.count {
            if chunks.count == settings.maxChunks { throw .tooManyChunks(limit: settings.maxChunks) }
            let end = Self.end(from: start, after: previousEnd, budget: budget, strengths: strengths, count: tokens.count)
            previousEnd = end
            let (charStart, charEnd) = CharacterEdges.widen(
                tokens[start].start..<tokens[end - 1].end,
                within: (start > 0 ? tokens[start - 1].end : 0)..<(end < tokens.count ? tokens[end].start : scalars.count),
                scalars: scalars
            )
            let contentStart = tokens[start..<end].first { !outline.isHeadingText($0.start) }?.start ?? charStart
            chunks.append(Chunk(
                id: ChunkID.make(documentID: documentID, version: version, ordinal: chunks.count),
                ordinal: chunks.count,
                text: String(decoding: utf8[Int(utf8Offsets[charStart])..<Int(utf8Offsets[charEnd])], as: UTF8.self),
                tokenCount: end - start,
                charStart: charStart,
                charEnd: charEnd,
                headingPath: outline.headingPath(at: contentStart),
                page: document.page(at: charStart),
                lastPage: document.page(at: charEnd - 1)
            ))
            guard end < tokens.count else { break }
            start = Self.nextStart(after: start, end: end, overlap: overlap, strengths: strengths)
        }
        return chunks
    }

    // MARK: Boundaries

    /// How good a place to cut the boundary before a token is.
    enum Strength: UInt8, Comparable {
        case insideWord, word, line, sentence, paragraph, section
        static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// `strengths[k]` is the boundary between token `k - 1` and token `k` (index 0 unused).
    static func boundaryStrengths(tokens: [Token], scalars: [Unicode.Scalar], outline: Outline) -> [Strength] {
        var strengths = [Strength](repeating: .insideWord, count: tokens.count)
        var nextSection = 0  // index into outline.sectionStarts, advanced with the tokens
        for k in 1..<max(1, tokens.count) {
            let previousEnd = tokens[k - 1].end
            let start = tokens[k].start
            var strength = Strength.insideWord
            // Scalars between tokens are whitespace, or marks and format characters the tokenizer
            // dropped (inside a word).
            if start > previousEnd, scalars[previousEnd..<start].contains(where: TextClass.isWhitespace) {
                var breaks = 0
                for scalar in scalars[previousEnd..<start] where scalar == "\n" { breaks += 1 }
                strength = breaks >= 2 ? .paragraph : breaks == 1 ? .line : .word
                if strength < .sentence, endsSentence(scalars, before: previousEnd) { strength = .sentence }
            } else if previousEnd > 0, start < scalars.count,
                      TextClass.separatesWords(scalars[previousEnd - 1]) || TextClass.separatesWords(scalars[start]) {
                strength = TextClass.isFullWidthTerminator(scalars[previousEnd - 1]) ? .sentence : .word
            }
            while nextSection < outline.sectionStarts.count, outline.sectionStarts[nextSection] < start { nextSection += 1 }
            if nextSection < outline.sectionStarts.count, outline.sectionStarts[nextSection] == start {
                strength = .section
            } else if outline.isHeadingText(previousEnd - 1), strength > .word {
                strength = .word  // never end a chunk right after a heading
            }
            strengths[k] = strength
        }
        return strengths
    }

    /// Whether the text before `offset` ends a sentence: a terminator, possibly followed by
    /// closing quotes or brackets.
    private static func endsSentence(_ scalars: [Unicode.Scalar], before offset: Int) -> Bool {
        var i = offset - 1
        while i >= 0, TextClass.isClosing(scalars[i]) { i -= 1 }
        return i >= 0 && TextClass.isTerminator(scalars[i])
    }

    /// One past the last token of the chunk that starts at `start`; past `previousEnd`, so that
    /// every chunk adds tokens the previous one did not have.
    static func end(from start: Int, after previousEnd: Int, budget: Int, strengths: [Strength], count: Int) -> Int {
        let limit = start + budget
        guard limit < count else { return count }
        // A cut at `e` leaves e - start tokens in the chunk; `strengths[e]` is the boundary there.
        // One pass from the budget's end back: the latest boundary of each strength.
        var latest = [Int?](repeating: nil, count: Int(Strength.section.rawValue) + 1)
        var e = limit
        while e > max(start, previousEnd) {
            let strength = Int(strengths[e].rawValue)
            if latest[strength] == nil { latest[strength] = e }
            e -= 1
        }
        func best(atLeast strength: Strength, minimumFill: Int) -> Int? {
            latest[Int(strength.rawValue)...].compactMap { $0 }.filter { $0 - start >= minimumFill }.max()
        }
        if let e = best(atLeast: .section, minimumFill: budget / 4) { return e }
        for strength in [Strength.paragraph, .sentence, .line] {
            if let e = best(atLeast: strength, minimumFill: budget / 2) { return e }
        }
        return best(atLeast: .word, minimumFill: 1) ?? limit
    }

    /// Where the chunk after [start, end) begins: about `overlap` tokens before `end`.
    static func nextStart(after start: Int, end: Int, overlap: Int, strengths: [Strength]) -> Int {
        guard overlap > 0, strengths[end] < .section else { return end }
        let earliest = max(start + 1, end - overlap)
        guard earliest < end else { return end }
        // A sentence start keeping at least half the overlap, else the first word start.
        if let sentence = (earliest..<max(earliest, end - overlap / 2)).first(where: { strengths[$0] >= .sentence }) {
            return sentence
        }
        if let word = (earliest..<end).first(where: { strengths[$0] >= .word }) { return word }
        // The overlap would begin inside a word: rather no overlap, unless the chunk itself ended
        // inside a word too long for any chunk.
        return strengths[end] >= .word ? end : earliest
    }
}
