import Foundation

/// Splits text into index terms the way BERT's basic tokenizer does (the normaliser in front of
/// the embedding model's WordPiece): words end at whitespace, control characters and
/// punctuation, each punctuation character and CJK ideograph is a word of its own, and words are
/// lower-cased with accents stripped (NFD, combining marks removed). Then punctuation and
/// stop words are dropped: what is left are the BM25 terms.
///
/// Each term keeps its range in the original text, for excerpts.
public struct TextAnalyzer: Sendable {
    public init() {}

    /// One term and where it came from.
    public struct Term: Sendable, Equatable {
        public var text: String
        public var range: Range<String.Index>
    }

    /// The BM25 terms of `text`, in order (repeats kept).
    public func terms(_ text: String) -> [String] { analyze(text).map(\.text) }

    /// The terms with their ranges in `text`.
    public func analyze(_ text: String) -> [Term] {
        var result: [Term] = []
        let scalars = text.unicodeScalars
        var wordStart: String.Index?
        var index = scalars.startIndex
        func flush(_ end: String.Index) {
            guard let start = wordStart else { return }
            wordStart = nil
            let term = Self.normalize(text.unicodeScalars[start..<end])
            if !term.isEmpty, !StopWords.english.contains(term) {
                result.append(Term(text: term, range: start..<end))
            }
        }
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            if Self.isSeparator(scalar) {
                flush(index)
            } else if Self.isPunctuation(scalar) {
                flush(index)  // punctuation words are never terms
            } else if Self.isCJK(scalar) {
                flush(index)
                wordStart = index
                flush(next)
            } else if wordStart == nil {
                wordStart = index
            }
            index = next
        }
        flush(scalars.endIndex)
        return result
    }

    /// Lower-cased, NFD, combining marks (Mn) removed.
    static func normalize(_ word: Substring.UnicodeScalarView) -> String {
        var ascii = true
        for s in word where s.value >= 0x80 { ascii = false; break }
        if ascii {
            var out = String.UnicodeScalarView()
            for s in word { out.append(s.value >= 65 && s.value <= 90 ? Unicode.Scalar(s.value | 0x20)! : s) }
            return String(out)
        }
        let lowered = String(String.UnicodeScalarView(word)).lowercased().decomposedStringWithCanonicalMapping
        var out = String.UnicodeScalarView()
        for s in lowered.unicodeScalars where s.properties.generalCategory != .nonspacingMark {
            out.append(s)
        }
        return String(out)
    }

    static func isSeparator(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        case 0, 0xFFFD: return true
        default: break
        }
        let category = s.properties.generalCategory
        return category == .spaceSeparator || category == .control || category == .format
    }

    /// BERT's `_is_punctuation`: ASCII symbols 33–47, 58–64, 91–96, 123–126, plus Unicode P*.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// BERT's `_is_chinese_char` blocks.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B820...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }
}

/// English stop words (Lucene's classic list plus common pronouns and auxiliaries): too
/// frequent to say anything about relevance.
enum StopWords {
    static let english: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
        "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
        "they", "this", "to", "was", "will", "with", "i", "me", "my", "we", "our", "you", "your",
        "he", "him", "his", "she", "her", "its", "them", "what", "which", "who", "whom", "am",
        "were", "been", "being", "have", "has", "had", "do", "does", "did", "so", "than", "too",
        "very", "can", "from", "about", "would", "should", "could", "s", "t",
    ]
}
