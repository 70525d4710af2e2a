import Foundation
import Testing

@testable import IngestionApp

@Suite("TextNormalizer")
struct TextNormalizerTests {
    let normalizer = TextNormalizer()

    @Test("composes to NFC")
    func nfc() {
        let decomposed = "cafe\u{301} \u{1100}\u{1161} A\u{30A}"
        let result = normalizer.normalize(decomposed)
        #expect(result == "caf\u{E9} \u{AC00} \u{C5}")
        #expect(result.unicodeScalars.count == 8)
    }

    @Test("removes control characters but keeps line structure and meaningful format characters")
    func controls() {
        #expect(normalizer.normalize("a\u{0}b\u{7}c\u{1B}d\u{7F}e\u{9B}f\u{FEFF}g") == "abcdefg")
        // Whitespace-like controls separate words instead of gluing them.
        #expect(normalizer.normalize("one\ttwo\u{0B}three\u{0C}four\u{85}five") == "one two\nthree\nfour\nfive")
        let family = "👨\u{200D}👩\u{200D}👧"
        #expect(normalizer.normalize(family) == family)
        #expect(normalizer.normalize("a\u{200F}b") == "a\u{200F}b")
    }

    @Test("collapses whitespace within lines and trims lines")
    func whitespace() {
        #expect(normalizer.normalize("  a  \t b\u{A0}\u{A0}c\u{3000}d\u{2003}e  ") == "a b c d e")
        #expect(normalizer.normalize("first line   \n    second line") == "first line\nsecond line")
    }

    @Test("unifies line endings and collapses blank lines to one paragraph break")
    func lineBreaks() {
        #expect(normalizer.normalize("a\r\nb\rc\nd") == "a\nb\nc\nd")
        #expect(normalizer.normalize("a\r\n\r\n\r\n\r\nb") == "a\n\nb")
        #expect(normalizer.normalize("a\n \t \n\u{A0}\nb") == "a\n\nb")
        #expect(normalizer.normalize("a\u{2028}b\u{2029}c") == "a\nb\n\nc")
        #expect(normalizer.normalize("\n\n  \n") == "")
    }

    @Test("output invariants hold for every fixture text, and normalising twice changes nothing")
    func invariants() throws {
        let samples = try ["multiscript.txt", "plain-utf8.txt", "headings.md", "page.html"].map {
            String(decoding: try Fixture.data($0), as: UTF8.self)
        } + ["\u{0}\u{1}x\r\n\r\n\t\ty\u{301}\u{2029}\u{2029}z  "]
        for sample in samples {
            let once = normalizer.normalize(sample)
            #expect(normalizer.normalize(once) == once)
            #expect(once == once.precomposedStringWithCanonicalMapping)
            #expect(!once.contains("  "))
            #expect(!once.contains("\n\n\n"))
            #expect(!once.contains(" \n") && !once.contains("\n "))
            #expect(once.first?.isWhitespace != true && once.last?.isWhitespace != true)
            #expect(once.unicodeScalars.allSatisfy { $0 == "\n" || $0.properties.generalCategory != .control })
        }
    }
}
