import Foundation

/// What HF's `BertNormalizer` (clean_text, handle_chinese_chars, strip_accents, lowercase) and
/// `BertPreTokenizer` do with each Unicode scalar, worked out once per process from the Swift
/// standard library's Unicode data (and Foundation's NFD) into a two-stage lookup table.
///
/// Every step of the reference is a function of one scalar except NFD's canonical reordering,
/// so the table records, per scalar: whether clean_text removes it, maps it to a space, or the
/// chinese-character step isolates it; and otherwise the scalars it becomes (NFD, then
/// non-spacing marks dropped, then full lowercase), each with its canonical combining class
/// (for `CombiningRun`) and whether the pre-tokenizer isolates it as punctuation.
///
/// The reference's Unicode versions, not the standard library's, are what count:
/// - general categories (the "other" characters clean_text removes, P* punctuation, the Mn
///   marks strip_accents drops) come from the `unicode_categories` crate, whose tables are
///   Unicode 8.0, and its "other" is Cc, Cf and Co only (an unassigned code point is kept).
///   So a scalar assigned after 8.0 counts as unassigned here, and the few whose category has
///   changed since 8.0 are listed in `categoryChangedSince8`;
/// - NFD (decompositions and combining classes) is Unicode 9.0 (`unicode-normalization-
///   alignments`): later scalars neither decompose nor reorder;
/// - whitespace (White_Space) and lowercase mappings come from Rust's standard library, which
///   is as current as Swift's.
/// `ScalarSweepTests` (opt-in) checks every one of the 1,112,064 scalars against the reference,
/// alone and inside a word; the differential fixture covers the corners in real text.
///
/// A class over manually allocated memory (never written after `init`, hence `Sendable`) so a
/// lookup is two plain loads.
final class ScalarTable: @unchecked Sendable {
    /// The one table, built on first use (~0.1 s, see `BertTokenizer.init`).
    static let shared = ScalarTable()

    /// Unicode version of the reference's general categories.
    static let categoryVersion = (major: 8, minor: 0)
    /// Unicode version of the reference's NFD data.
    static let normalizationVersion = (major: 9, minor: 0)

    /// What clean_text and handle_chinese_chars make of a scalar.
    enum Kind: UInt32 {
        /// Kept (normalised into the scalars of its entry), part of the surrounding word.
        case letter = 0
        /// Dropped by clean_text (U+0000, U+FFFD, Cc/Cf/Co other than \t \n \r).
        case removed = 1
        /// Whitespace: ends a word.
        case whitespace = 2
        /// A CJK ideograph in BERT's ranges: a word of its own.
        case ideograph = 3
    }

    // Entry layout (UInt32):
    //   bits 0-1  Kind
    //   bit 2     has expansion: bits 8-31 index `expansions`; else the scalar is kept as is:
    //   bit 3     (as is) pre-tokenizer punctuation
    //   bits 8-15 (as is) canonical combining class
    // An expansion is a count n followed by n elements, each:
    //   bits 0-20 scalar, bit 21 kept (else dropped by strip_accents, but it still takes part in
    //   reordering), bit 22 punctuation, bit 23 added (not the first scalar of the
    //   decomposition, see `CombiningRun`), bits 24-31 combining class.
    static let kindMask: UInt32 = 0b11
    static let expansionFlag: UInt32 = 1 << 2
    static let punctuationFlag: UInt32 = 1 << 3
    static let keptFlag: UInt32 = 1 << 21
    static let elementPunctuationFlag: UInt32 = 1 << 22
    static let addedFlag: UInt32 = 1 << 23

    private let blocks: UnsafeMutableBufferPointer<UInt16>
    private let entries: UnsafeMutableBufferPointer<UInt32>
    /// Expansion storage, read by the scanner.
    let expansions: UnsafeMutableBufferPointer<UInt32>

    @inline(__always)
    func entry(_ scalar: UInt32) -> UInt32 {
        entries[Int(blocks[Int(scalar &>> 8)]) &<< 8 | Int(scalar & 0xFF)]
    }

    private init() {
        let decompositions = Self.decompositions()
        var expansions: [UInt32] = [0]  // an expansion index is never 0
        var blockIndex: [[UInt32]: UInt16] = [:]
        var blockList: [UInt32] = []
        var stage1: [UInt16] = []
        stage1.reserveCapacity(0x1100)
        for high in 0..<UInt32(0x1100) {
            var block = [UInt32](repeating: 0, count: 256)
            for low in 0..<UInt32(256) {
                block[Int(low)] = Self.makeEntry(high << 8 | low, decompositions, &expansions)
            }
            if let index = blockIndex[block] {
                stage1.append(index)
            } else {
                let index = UInt16(blockIndex.count)
                blockIndex[block] = index
                blockList.append(contentsOf: block)
                stage1.append(index)
            }
        }
        blocks = .allocate(capacity: stage1.count)
        _ = blocks.initialize(from: stage1)
        entries = .allocate(capacity: blockList.count)
        _ = entries.initialize(from: blockList)
        self.expansions = .allocate(capacity: expansions.count)
        _ = self.expansions.initialize(from: expansions)
    }

    deinit {
        blocks.deallocate()
        entries.deallocate()
        expansions.deallocate()
    }

    // MARK: - Building

    private static func makeEntry(_ value: UInt32, _ decompositions: [UInt32: [Unicode.Scalar]],
                                  _ expansions: inout [UInt32]) -> UInt32 {
        // Large ranges answered without property lookups (~50 ns each, a million code points).
        if isUnifiedIdeograph(value) { return Kind.ideograph.rawValue }
        switch value {
        case 0x40000..<0xE0000:
            return Kind.letter.rawValue  // planes 4-13: nothing assigned (as of Unicode 16)
        case 0xF0000...0xFFFFD, 0x10_0000...0x10_FFFD:
            return Kind.removed.rawValue  // planes 15-16: private use (Co), fixed by Unicode
        default:
            break
        }
        // Surrogates cannot occur; an unassigned scalar (category Cn, no mappings) is kept.
        guard let scalar = Unicode.Scalar(value), let age = scalar.properties.age else {
            return isChineseCharacter(value) ? Kind.ideograph.rawValue : Kind.letter.rawValue
        }
        let properties = scalar.properties
        let category = self.category(scalar, age: age)
        let kind: Kind
        if value == 0 || value == 0xFFFD || (isOther(category) && !isTabOrNewline(value)) {
            return Kind.removed.rawValue
        } else if properties.isWhitespace {
            // Rust's `char::is_whitespace`, which the normaliser and the pre-tokenizer both use.
            return Kind.whitespace.rawValue
        } else if isChineseCharacter(value) {
            kind = .ideograph
        } else {
            kind = .letter
        }

        let decomposition = decompositions[value]
        if decomposition == nil && category != .nonspacingMark && !properties.changesWhenLowercased {
            // Kept as is: the common case, stored without an expansion.
            let punctuation = isPunctuation(scalar, category) ? punctuationFlag : 0
            let combiningClass = (age.major, age.minor) <= normalizationVersion
                ? UInt32(properties.canonicalCombiningClass.rawValue) : 0
            return kind.rawValue | punctuation | combiningClass << 8
        }

        // NFD, then strip_accents drops Mn, then lowercase (full mapping). (A lowercase mapping
        // to several scalars would need its own alignment rule; the only one, U+0130,
        // decomposes first.)
        var elements: [UInt32] = []
        for (index, part) in (decomposition ?? [scalar]).enumerated() {
            let partAge = part.properties.age
            let combiningClass = partAge.map { ($0.major, $0.minor) <= normalizationVersion } == true
                ? UInt32(part.properties.canonicalCombiningClass.rawValue) << 24 : 0
            let added = index > 0 ? addedFlag : 0
            let partCategory = self.category(part, age: partAge)
            if partCategory == .nonspacingMark {
                elements.append(part.value | added | combiningClass)
                continue
            }
            for lower in part.properties.lowercaseMapping.unicodeScalars {
                let punctuation = isPunctuation(lower, self.category(lower, age: lower.properties.age))
                    ? elementPunctuationFlag : 0
                elements.append(lower.value | keptFlag | punctuation | added | combiningClass)
            }
        }
        let index = UInt32(expansions.count)
        expansions.append(UInt32(elements.count))
        expansions.append(contentsOf: elements)
        return kind.rawValue | expansionFlag | index << 8
    }

    /// Canonical decompositions of every scalar that has one in `normalizationVersion`, from
    /// Foundation's NFD of the candidates, a few hundred per string (one string would take
    /// CoreFoundation quadratic time) with U+0001 between them: a starter, so canonical
    /// reordering never mixes two candidates.
    private static func decompositions() -> [UInt32: [Unicode.Scalar]] {
        var candidates: [Unicode.Scalar] = []
        // No scalar before U+00C0 or after U+2FA1D has a canonical decomposition in 9.0.
        for value in UInt32(0xC0)...0x2FA1F {
            guard let scalar = Unicode.Scalar(value), !isUnifiedIdeograph(value),
                  !(0xE000...0xF8FF).contains(value),  // private use
                  let age = scalar.properties.age, (age.major, age.minor) <= normalizationVersion
            else { continue }
            candidates.append(scalar)
        }
        let separator = Unicode.Scalar(UInt8(1))
        var result: [UInt32: [Unicode.Scalar]] = [:]
        var parts: [Unicode.Scalar] = []
        for chunkStart in stride(from: 0, to: candidates.count, by: 512) {
            let chunk = candidates[chunkStart..<min(chunkStart + 512, candidates.count)]
            var text = String.UnicodeScalarView()
            for scalar in chunk {
                text.append(scalar)
                text.append(separator)
            }
            var index = chunk.startIndex
            for scalar in String(text).decomposedStringWithCanonicalMapping.unicodeScalars {
                if scalar != separator {
                    parts.append(scalar)
                    continue
                }
                if parts != [candidates[index]] { result[candidates[index].value] = parts }
                parts.removeAll(keepingCapacity: true)
                index += 1
            }
            precondition(index == chunk.endIndex, "NFD changed the number of separators")
        }
        return result
    }

    // MARK: - The reference's character classes

    /// The general category as of `categoryVersion` (`age` is the scalar's).
    private static func category(_ scalar: Unicode.Scalar, age: Unicode.Version?) -> Unicode.GeneralCategory {
        if let old = categoryChangedSince8[scalar.value] { return old }
        guard let age, (age.major, age.minor) <= categoryVersion else { return .unassigned }
        return scalar.properties.generalCategory
    }

    /// Scalars of Unicode 8.0 whose category has since changed in a way the reference notices
    /// (found by running every code point through both tokenizers).
    private static let categoryChangedSince8: [UInt32: Unicode.GeneralCategory] = [
        0x166D: .otherPunctuation,  // CANADIAN SYLLABICS CHI SIGN, now So
        0x1734: .nonspacingMark,  // HANUNOO SIGN PAMUDPOD, now Mc
        0x1885: .otherLetter,  // MONGOLIAN LETTER ALI GALI BALUDA, now Mn
        0x1886: .otherLetter,  // MONGOLIAN LETTER ALI GALI THREE BALUDA, now Mn
        0xA9BD: .spacingMark,  // JAVANESE CONSONANT SIGN KERET, now Mn
        0x111C9: .otherPunctuation,  // SHARADA SANDHI MARK, now Mn
        0x1171E: .nonspacingMark,  // AHOM CONSONANT SIGN MEDIAL RA, now Mc
    ]

    /// clean_text's "control": Cc, Cf or Co (not Cn; Cs cannot occur in a String).
    private static func isOther(_ category: Unicode.GeneralCategory) -> Bool {
        switch category {
        case .control, .format, .privateUse: true
        default: false
        }
    }

    private static func isTabOrNewline(_ value: UInt32) -> Bool {
        value == 0x09 || value == 0x0A || value == 0x0D
    }

    /// The pre-tokenizer's punctuation: ASCII punctuation (symbols like $ + < = > ^ ` | ~
    /// included) or any P* category.
    private static func isPunctuation(_ scalar: Unicode.Scalar, _ category: Unicode.GeneralCategory) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value)
                || (0x5B...0x60).contains(value) || (0x7B...0x7E).contains(value)
        }
        switch category {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// BERT's "chinese character": the CJK ideograph blocks, assigned or not.
    private static func isChineseCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            true
        default:
            false
        }
    }

    /// The chinese-character ranges without the compatibility ideographs (which decompose):
    /// every scalar there is an isolated ideograph that normalises to itself.
    private static func isUnifiedIdeograph(_ value: UInt32) -> Bool {
        isChineseCharacter(value) && !(0xF900...0xFAFF).contains(value) && !(0x2F800...0x2FA1F).contains(value)
    }
}
