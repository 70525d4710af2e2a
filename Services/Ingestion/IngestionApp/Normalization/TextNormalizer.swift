import Foundation

/// Cleans extracted text so that equal content gives equal text (the content hash and the chunk
/// offsets are computed on its output):
/// - line breaks of every kind (`\r\n`, `\r`, U+2028, NEL, VT, FF) become `\n`; U+2029 is a
///   paragraph break;
/// - other control characters (C0, DEL, C1) and U+FEFF are removed;
/// - horizontal whitespace (tab, NBSP, the U+2000 spaces, U+3000, ...) collapses to one space
///   within a line; lines are trimmed;
/// - two or more line breaks (blank lines, even ones holding only spaces) become one paragraph
///   break `\n\n`; the text is trimmed;
/// - the result is in Unicode NFC.
///
/// Formatting characters that carry meaning (ZWJ in emoji sequences, ZWNJ, bidi marks) are kept.
public struct TextNormalizer: Sendable {
    public init() {}

    public func normalize(_ text: String) -> String {
        // One pass over the UTF-8 bytes (a String's are valid), copying visible characters.
        var input = text
        return input.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var pendingSpace = false
            var pendingBreaks = 0
            // Text whose scalars all pass NFC's quick check is in NFC already: skip the NFC pass.
            var needsNFC = false
            var i = 0
            while i < bytes.count {
                let lead = bytes[i]
                let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                let kind: Kind
                if length == 1 {
                    if lead == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }  // \r\n is one break
                    kind = Self.asciiKind(lead)
                } else {
                    var value = UInt32(lead) & (0xFF >> (length + 1))
                    for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
                    kind = Self.kind(of: value)
                    if kind == .visible, value >= 0x300, !needsNFC, Self.mayChangeUnderNFC(value) { needsNFC = true }
                }
                switch kind {
                case .lineBreak:
                    pendingBreaks += 1
                    pendingSpace = false
                case .paragraphBreak:
                    pendingBreaks += 2
                    pendingSpace = false
                case .space:
                    pendingSpace = true
                case .removed:
                    break
                case .visible:
                    if !out.isEmpty {
                        if pendingBreaks >= 2 {
                            out.append(0x0A)
                            out.append(0x0A)
                        } else if pendingBreaks == 1 {
                            out.append(0x0A)
                        } else if pendingSpace {
                            out.append(0x20)
                        }
                    }
                    pendingBreaks = 0
                    pendingSpace = false
                    for k in i..<(i + length) { out.append(bytes[k]) }
                }
                i += length
            }
            let collapsed = String(decoding: out, as: UTF8.self)
            return needsNFC ? collapsed.precomposedStringWithCanonicalMapping : collapsed
        }
    }

    /// NFC quick check (UAX #15): a scalar whose NFC_Quick_Check is not Yes. "No" is exactly
    /// Full_Composition_Exclusion; "Maybe" are the scalars that can compose with the one before:
    /// combining marks (non-zero combining class) and a few starters listed here.
    static func mayChangeUnderNFC(_ value: UInt32) -> Bool {
        // Frequent blocks that are all NFC_Quick_Check=Yes: punctuation, arrows, box drawing and
        // other symbols (but not the combining marks for symbols or the six singletons),
        // hiragana, CJK ideographs, Hangul syllables, emoji.
        switch value {
        case 0x20D0...0x20FF, 0x2126, 0x212A, 0x212B, 0x2329, 0x232A, 0x2ADC: return true
        case 0x2010...0x2BFF, 0x3041...0x3096, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0x1F000...0x1FAFF: return false
        default: break
        }
        guard let scalar = Unicode.Scalar(value) else { return true }
        let properties = scalar.properties
        return properties.canonicalCombiningClass != .notReordered || properties.isFullCompositionExclusion
            || composingStarters.contains(value) || (0x1161...0x1175).contains(value) || (0x11A8...0x11C2).contains(value)
    }

    /// Starters (combining class 0) with NFC_Quick_Check=Maybe, besides the Hangul vowel and
    /// trailing jamo (Unicode 15 DerivedNormalizationProps.txt).
    private static let composingStarters: Set<UInt32> = [
        0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E, 0x0D57, 0x0DCF, 0x0DDF,
        0x0FB5, 0x0FB7,
        0x102E, 0x1B35, 0x11127, 0x1133E, 0x11357, 0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930,
    ]

    private enum Kind { case visible, space, lineBreak, paragraphBreak, removed }

    private static func asciiKind(_ byte: UInt8) -> Kind {
        switch byte {
        case 0x20, 0x09: .space
        case 0x0A, 0x0B, 0x0C, 0x0D: .lineBreak
        case 0x00...0x1F, 0x7F: .removed
        default: .visible
        }
    }

    /// Non-ASCII scalars: Unicode's White_Space set is small and fixed.
    private static func kind(of value: UInt32) -> Kind {
        switch value {
        case 0x85, 0x2028: .lineBreak
        case 0x2029: .paragraphBreak
        case 0x80...0x9F, 0xFEFF: .removed
        case 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: .space
        default: .visible
        }
    }
}
