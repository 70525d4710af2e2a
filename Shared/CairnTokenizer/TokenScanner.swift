/// The tokenizer's one pass over a text's UTF-8: HF's pipeline (added tokens, `BertNormalizer`,
/// `BertPreTokenizer`, `WordPiece`) fused so that no intermediate string is built.
///
/// Each scalar is normalised through `ScalarTable` (ASCII inline) into the current
/// `NormalizedWord`, remembering which original scalar it came from; whitespace,
/// punctuation, CJK ideographs and added tokens end words; an ended word is split by WordPiece
/// over its UTF-8 bytes and its tokens handed to `emit`, which returns false to stop.
struct TokenScanner: ~Copyable {
    private let vocabulary: Vocabulary
    private let unknownID: Int32
    /// Tokens matched in the raw text before normalisation ("[CLS]", "[MASK]", …).
    private let addedTokens: [(bytes: [UInt8], id: Int32)]
    private let table = ScalarTable.shared

    private var word = NormalizedWord()
    /// Non-starters waiting for canonical reordering before they join `word`.
    private var run = CombiningRun()
    /// FNV hashes of the prefixes of the rest of the word (WordPiece candidates).
    private let prefixHashes: UnsafeMutablePointer<UInt64>
    /// A word's pieces until it is known not to be [UNK]: id and [start, end) in `bytes`.
    private let pieceIDs: UnsafeMutablePointer<Int32>
    private let pieceBounds: UnsafeMutablePointer<(start: Int, end: Int)>
    /// Set once `emit` asked to stop.
    private var stopped = false

    init(vocabulary: Vocabulary, unknownID: Int32, addedTokens: [(bytes: [UInt8], id: Int32)]) {
        self.vocabulary = vocabulary
        self.unknownID = unknownID
        self.addedTokens = addedTokens
        prefixHashes = .allocate(capacity: max(1, vocabulary.words.maxKeyLength, vocabulary.continuations.maxKeyLength))
        pieceIDs = .allocate(capacity: NormalizedWord.capacity)
        pieceBounds = .allocate(capacity: NormalizedWord.capacity)
    }

    deinit {
        prefixHashes.deallocate()
        pieceIDs.deallocate()
        pieceBounds.deallocate()
    }

    /// Tokenizes `text` (valid UTF-8) and hands each token to `emit` in order.
    mutating func run(_ text: UnsafeBufferPointer<UInt8>, _ emit: (Token) -> Bool) {
        guard let base = text.baseAddress else { return }
        let end = text.count
        var index = 0
        var origin = 0  // index of the current scalar in the original text
        while index < end && !stopped {
            let byte = base[index]
            if byte < 0x80 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if !run.isEmpty { run.flush(into: &word) }
                    word.appendASCII(byte, origin: origin)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    if !run.isEmpty { run.flush(into: &word) }
                    word.appendASCII(byte | 0x20, origin: origin)
                case 0x20, 0x0A, 0x09, 0x0D:
                    endWord(emit)
                case 0x00...0x1F, 0x7F:
                    break  // control characters: removed
                default:
                    // The rest of ASCII is punctuation; "[" may open an added token.
                    if byte == UInt8(ascii: "["), let added = addedToken(at: base + index, count: end - index) {
                        endWord(emit)
                        if !stopped {
                            stopped = !emit(Token(id: added.id, start: origin, end: origin + added.length))
                        }
                        index += added.length
                        origin += added.length
                        continue
                    }
                    endWord(emit)
                    word.appendASCII(byte, origin: origin)
                    endWord(emit)
                }
                index += 1
                origin += 1
                continue
            }
            // Multi-byte scalar (the String guarantees valid UTF-8).
            let value: UInt32
            if byte < 0xE0 {
                value = UInt32(byte & 0x1F) << 6 | UInt32(base[index + 1] & 0x3F)
                index += 2
            } else if byte < 0xF0 {
                value = UInt32(byte & 0x0F) << 12 | UInt32(base[index + 1] & 0x3F) << 6
                    | UInt32(base[index + 2] & 0x3F)
                index += 3
            } else {
                value = UInt32(byte & 0x07) << 18 | UInt32(base[index + 1] & 0x3F) << 12
                    | UInt32(base[index + 2] & 0x3F) << 6 | UInt32(base[index + 3] & 0x3F)
                index += 4
            }
            let entry = table.entry(value)
            switch entry & ScalarTable.kindMask {
            case ScalarTable.Kind.removed.rawValue:
                break
            case ScalarTable.Kind.whitespace.rawValue:
                endWord(emit)
            case ScalarTable.Kind.ideograph.rawValue:
                endWord(emit)
                appendNormalized(value, entry, origin: origin, emit)
                endWord(emit)
            default:
                appendNormalized(value, entry, origin: origin, emit)
            }
            origin += 1
        }
        endWord(emit)
    }

    /// The added token starting at `start`, if any (they are ASCII: bytes are scalars).
    private func addedToken(at start: UnsafePointer<UInt8>, count: Int) -> (id: Int32, length: Int)? {
        for (token, id) in addedTokens where token.count <= count {
            var index = 0
            while index < token.count && start[index] == token[index] { index += 1 }
            if index == token.count { return (id, token.count) }
        }
        return nil
    }

    /// Appends what a non-ASCII scalar normalises to; punctuation among it is a word of its own.
    private mutating func appendNormalized(_ value: UInt32, _ entry: UInt32, origin: Int, _ emit: (Token) -> Bool) {
        if entry & ScalarTable.expansionFlag == 0 {
            append(value, combiningClass: UInt8(truncatingIfNeeded: entry >> 8), kept: true, replaces: true,
                   punctuation: entry & ScalarTable.punctuationFlag != 0, origin: origin, emit)
            return
        }
        let start = Int(entry >> 8)
        let count = Int(table.expansions[start])
        for element in table.expansions[(start + 1)..<(start + 1 + count)] {
            append(element & 0x1F_FFFF, combiningClass: UInt8(truncatingIfNeeded: element >> 24),
                   kept: element & ScalarTable.keptFlag != 0, replaces: element & ScalarTable.addedFlag == 0,
                   punctuation: element & ScalarTable.elementPunctuationFlag != 0, origin: origin, emit)
        }
    }

    /// One scalar of NFD output: a non-starter waits in `run`; a starter ends the run and, if
    /// strip_accents keeps it, joins the word (or is a word of its own if punctuation).
    @inline(__always)
    private mutating func append(_ scalar: UInt32, combiningClass: UInt8, kept: Bool, replaces: Bool,
                                 punctuation: Bool, origin: Int, _ emit: (Token) -> Bool) {
        if combiningClass != 0 {
            run.append(.init(scalar: scalar, combiningClass: combiningClass, kept: kept, replaces: replaces, origin: origin))
            return
        }
        if !run.isEmpty { run.flush(into: &word) }
        guard kept else { return }
        if punctuation {
            endWord(emit)
            word.append(scalar, origin: origin)
            endWord(emit)
        } else {
            word.append(scalar, origin: origin)
        }
    }

    /// Ends the current word: emits its WordPiece tokens (or one [UNK]) and empties it.
    @inline(__always)
    private mutating func endWord(_ emit: (Token) -> Bool) {
        if !run.isEmpty { run.flush(into: &word) }
        if word.isEmpty { return }
        if !stopped { stopped = !emitWordPieces(emit) }
        word.removeAll()
    }

    /// Greedy longest-match-first WordPiece over the word's UTF-8; false if `emit` said stop.
    private mutating func emitWordPieces(_ emit: (Token) -> Bool) -> Bool {
        if word.isOverflowing { return emitUnknownWord(emit) }
        let bytes = word.bytes
        let byteCount = word.byteCount
        var pieces = 0
        var start = 0
        while start < byteCount {
            let table = start == 0 ? vocabulary.words : vocabulary.continuations
            let limit = min(byteCount - start, table.maxKeyLength)
            var hash = VocabularyTable.hashSeed
            for offset in 0..<limit {
                hash = VocabularyTable.hashStep(hash, bytes[start + offset])
                prefixHashes[offset] = hash
            }
            var length = limit
            var id: Int32 = -1
            while length > 0 {
                // Only whole scalars: the byte after the candidate must start a scalar.
                if start + length == byteCount || bytes[start + length] & 0xC0 != 0x80 {
                    id = table.id(of: bytes + start, count: length, hash: prefixHashes[length - 1])
                    if id >= 0 { break }
                }
                length -= 1
            }
            if id < 0 { return emitUnknownWord(emit) }
            pieceIDs[pieces] = id
            pieceBounds[pieces] = (start, start + length)
            pieces += 1
            start += length
        }
        for piece in 0..<pieces {
            let bounds = pieceBounds[piece]
            let first = word.origins[Int(word.byteScalars[bounds.start])]
            let last = word.origins[Int(word.byteScalars[bounds.end - 1])]
            if !emit(Token(id: pieceIDs[piece], start: first, end: last + 1)) { return false }
        }
        return true
    }

    private func emitUnknownWord(_ emit: (Token) -> Bool) -> Bool {
        let span = word.span
        return emit(Token(id: unknownID, start: span.start, end: span.end))
    }
}
