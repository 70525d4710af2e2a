import Foundation
import Testing

@testable import IngestionApp

@Suite("Plain text extraction")
struct PlainTextExtractionTests {
    let extractor = DocumentExtractor()

    func extract(_ name: String, type: String = "text/plain") async throws -> ExtractedDocument {
        try await extractor.extract(try Fixture.data(name), declaredType: type)
    }

    @Test("UTF-8 text is normalised: CRLF, runs of spaces, tab, blank lines")
    func utf8() async throws {
        let document = try await extract("plain-utf8.txt")
        #expect(document.text == """
            Cairn ingestion test.
            This is the first paragraph. It has extra spaces and a tab.

            Second paragraph after three blank lines.
            """)
        #expect(document.format == .plainText)
        #expect(document.sections.isEmpty && document.pageStarts.isEmpty)
        #expect(document.scalarCount == document.text.unicodeScalars.count)
    }

    @Test("a UTF-8 byte-order mark is dropped")
    func utf8BOM() async throws {
        let document = try await extract("plain-utf8-bom.txt")
        #expect(document.text == "Café with a byte-order mark.")
    }

    @Test("UTF-16 with a byte-order mark, either byte order")
    func utf16() async throws {
        #expect(try await extract("plain-utf16le-bom.txt").text == "UTF-16 little endian: naïve café, 日本語.")
        #expect(try await extract("plain-utf16be-bom.txt").text == "UTF-16 big endian: Ωmega and 😀.")
    }

    @Test("invalid UTF-8 fails with the byte offset, never a replacement character")
    func invalidUTF8() async throws {
        let error = await extractionError { _ = try await extract("invalid-utf8.txt") }
        guard case .undecodable(let why)? = error else {
            Issue.record("expected undecodable, got \(String(describing: error))")
            return
        }
        #expect(why.contains("UTF-8") && why.contains("byte offset 17"))
        #expect(error?.category == .unprocessable)
    }

    @Test("UTF-16 without a byte-order mark is caught by its NUL bytes")
    func utf16WithoutBOM() async throws {
        let data = "plain words".data(using: .utf16LittleEndian)!
        let error = await extractionError { _ = try await extractor.extract(data, declaredType: "text/plain") }
        #expect(error?.reason.contains("NUL bytes") == true)
        // A stray NUL in real text is only a control character, which normalisation removes.
        let stray = Data("a long line of ordinary text\u{0} with one stray NUL byte in it".utf8)
        #expect(try await extractor.extract(stray, declaredType: "text/plain").text == "a long line of ordinary text with one stray NUL byte in it")
    }

    @Test("binary content declared as text says what it is")
    func binaryDeclaredAsText() async throws {
        let error = await extractionError { _ = try await extractor.extract(try Fixture.data("single-page.pdf"), declaredType: "text/plain") }
        #expect(error == .undecodable("declared as text/plain but the content is application/pdf"))
    }

    @Test("an empty file and a whitespace-only file are empty documents")
    func empty() async throws {
        #expect(await extractionError { _ = try await extract("empty.txt") } == .empty)
        #expect(await extractionError { _ = try await extract("whitespace-only.txt") } == .empty)
        #expect(ExtractionError.empty.category == .unprocessable)
    }

    @Test("a declared charset is honoured; an unknown one is refused")
    func charsets() async throws {
        let latin1 = Data([0x63, 0x61, 0x66, 0xE9, 0x20, 0x80])  // "café €" in Windows-1252
        let document = try await extractor.extract(latin1, declaredType: "text/plain; charset=ISO-8859-1")
        #expect(document.text == "café €")
        let utf16 = try await extractor.extract("ab".data(using: .utf16BigEndian)!, declaredType: "text/plain; charset=utf-16be")
        #expect(utf16.text == "ab")
        let error = await extractionError { _ = try await extractor.extract(latin1, declaredType: "text/plain; charset=shift_jis") }
        #expect(error?.reason.contains("shift_jis") == true)
    }

    @Test("the content hash is SHA-256 of the normalised text, whatever the encoding or spacing")
    func contentHash() async throws {
        let variants: [(Data, String)] = [
            (Data("Café au lait".utf8), "text/plain"),
            (Data([0xEF, 0xBB, 0xBF]) + Data("Cafe\u{301}  au\tlait\r\n".utf8), "text/plain"),
            ("Café au lait".data(using: .utf16LittleEndian).map { Data([0xFF, 0xFE]) + $0 }!, "text/plain"),
            (Data("<p>Caf&eacute; au <b>lait</b></p>".utf8), "text/html"),
        ]
        for (data, type) in variants {
            let document = try await extractor.extract(data, declaredType: type)
            #expect(document.contentHash == "793e7643ce558259f6fe71f9ecaaf268acbcd011a2bb4c7f561df05a133d4d08", "\(type)")
        }
        #expect(try await extractor.extract(Data("Café au lait!".utf8), declaredType: "text/plain").contentHash
            != "793e7643ce558259f6fe71f9ecaaf268acbcd011a2bb4c7f561df05a133d4d08")
    }

    @Test("text in several scripts comes through intact and in NFC")
    func scripts() async throws {
        let document = try await extract("multiscript.txt")
        for expected in ["我们的文档包含中文文本。", "これは日本語の文章です。", "هذا نص باللغة العربية.", "यह हिन्दी में एक वाक्य है।",
                         "Съешь же ещё", "👨\u{200D}👩\u{200D}👧\u{200D}👦", "🇩🇪🇯🇵", "👍🏽", "🚀", "café and résumé."] {
            #expect(document.text.contains(expected), "missing \(expected)")
        }
        #expect(!document.text.unicodeScalars.contains("\u{301}"))
        #expect(document.text.components(separatedBy: "\n\n").count == 8)
    }
}
