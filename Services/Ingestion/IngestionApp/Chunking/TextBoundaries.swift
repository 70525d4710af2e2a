/// A chunk's edges are its first and last tokens' edges, widened over the scalars that extend
/// a character (combining marks, ZWJ, variation selectors, emoji modifiers, tags): the tokenizer
/// drops some of them (accents, the Devanagari vowel signs that are marks), and a chunk must not
/// cut them off its last word or start with a mark without its base.
enum CharacterEdges {
    static func widen(_ range: Range<Int>, within limits: Range<Int>, scalars: [Unicode.Scalar]) -> (Int, Int) {
        var lower = range.lowerBound
        while lower > limits.lowerBound, TextClass.extendsCharacter(scalars[lower]) { lower -= 1 }
        var upper = range.upperBound
        while upper < limits.upperBound, TextClass.extendsCharacter(scalars[upper]) { upper += 1 }
        return (lower, upper)
    }
}

/// Character classes of BERT's pre-tokenizer and of sentence ends.
enum TextClass {
    /// Punctuation and CJK ideographs are words of their own to BERT, so a boundary next to one is
    /// a word boundary even without a space.
    static func separatesWords(_ scalar: Unicode.Scalar) -> Bool {
        isPunctuation(scalar) || isCJK(scalar)
    }

    /// BERT's `_is_punctuation`: ASCII non-alphanumeric printables, and Unicode category P*.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// BERT's `_is_chinese_char` (CJK Unified Ideographs and their extensions and compatibility forms).
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Unicode White_Space (a small fixed set).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// Sentence-ending punctuation: . ! ? … ‼ ⁇ ⁈ ⁉ ؟ ۔ । ॥ ። and the full-width ones.
    static func isTerminator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2E, 0x21, 0x3F, 0x2026, 0x203C, 0x2047, 0x2048, 0x2049, 0x061F, 0x06D4, 0x0964, 0x0965, 0x1362: true
        default: isFullWidthTerminator(scalar)
        }
    }

    /// 。．！？｡: scripts written without spaces end a sentence with these and no space after.
    static func isFullWidthTerminator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3002, 0xFF0E, 0xFF01, 0xFF1F, 0xFF61: true
        default: false
        }
    }

    /// Closing quotes and brackets (and emphasis marks) that may follow a sentence's terminator.
    static func isClosing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x22, 0x27, 0x29, 0x5D, 0x7D, 0x2A, 0x5F, 0x201D, 0x2019, 0xBB, 0x203A, 0x300D, 0x300F, 0xFF09, 0x3011, 0x3009,
             0x300B:
            true
        default: false
        }
    }

    /// Scalars that continue the character before them (grapheme cluster Extend and SpacingMark,
    /// ZWJ, variation selectors, emoji modifiers, tag characters).
    static func extendsCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        guard value >= 0x300 else { return false }
        switch value {
        case 0x200D, 0xFE00...0xFE0F, 0x1F3FB...0x1F3FF, 0xE0020...0xE007F, 0xE0100...0xE01EF: return true
        default:
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return true
            default: return false
            }
        }
    }
}
