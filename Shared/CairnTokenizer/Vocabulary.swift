import Foundation

/// The WordPiece vocabulary: `vocab.txt`, one token per line, the line number is its id.
///
/// Kept as two byte-keyed tables so WordPiece never builds a `String` for a candidate piece:
/// `words` holds every token as written (the lookup for a word's first piece) and
/// `continuations` holds the "##" tokens keyed without their prefix (the lookup for every
/// later piece), which is the reference's `"##" + piece` lookup without the concatenation.
struct Vocabulary: Sendable {
    static let continuationPrefix: [UInt8] = Array("##".utf8)

    let words: VocabularyTable
    let continuations: VocabularyTable
    /// The tokens by id (for `decode` and diagnostics only).
    let tokens: [String]

    init(contentsOfFile path: String) throws(BertTokenizerError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableVocabulary(path: path, reason: String(describing: error))
        }
        self.init(lines: Self.lines(of: data))
    }

    /// `lines[i]` is the token with id `i`. As the reference reads `vocab.txt`, trailing
    /// whitespace is not part of a token and a repeated token keeps its last id.
    init(lines: [String]) {
        var tokens: [String] = []
        var wordEntries: [(key: ArraySlice<UInt8>, id: Int32)] = []
        var continuationEntries: [(key: ArraySlice<UInt8>, id: Int32)] = []
        for (index, line) in lines.enumerated() {
            var token = Substring(line)
            while let last = token.unicodeScalars.last, last.properties.isWhitespace {
                token = Substring(token.unicodeScalars.dropLast())
            }
            let bytes = ArraySlice(token.utf8)
            let id = Int32(index)
            tokens.append(String(token))
            wordEntries.append((bytes, id))
            if bytes.starts(with: Self.continuationPrefix) {
                continuationEntries.append((bytes.dropFirst(Self.continuationPrefix.count), id))
            }
        }
        self.tokens = tokens
        words = VocabularyTable(wordEntries)
        continuations = VocabularyTable(continuationEntries)
    }

    /// The file's lines, split at "\n" with a "\r" before it dropped; a final newline does not
    /// start another line.
    private static func lines(of data: Data) -> [String] {
        var lines: [String] = []
        var current: [UInt8] = []
        for byte in data {
            if byte == UInt8(ascii: "\n") {
                if current.last == UInt8(ascii: "\r") { current.removeLast() }
                lines.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { lines.append(String(decoding: current, as: UTF8.self)) }
        return lines
    }

    /// The id of a token written out in full ("##ing" included), or nil.
    func id(of token: String) -> Int32? {
        words.id(of: token.utf8)
    }
}
