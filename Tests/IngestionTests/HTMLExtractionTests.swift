import Foundation
import Testing

@testable import IngestionApp

@Suite("HTML extraction")
struct HTMLExtractionTests {
    func extract(_ html: String, type: String = "text/html") async throws -> ExtractedDocument {
        try await DocumentExtractor().extract(Data(html.utf8), declaredType: type)
    }

    @Test("scripts, styles, noscript, template and comments leave no trace")
    func droppedContent() async throws {
        let document = try await DocumentExtractor().extract(try Fixture.data("page.html"), declaredType: "text/html; charset=utf-8")
        #expect(!document.text.contains("LEAK"))
        #expect(!document.text.contains("color: red"))
        for tag in ["<p", "</", "<h1", "<b>", "<br", "<td", "<!--"] { #expect(!document.text.contains(tag), "\(tag) left") }
        #expect(document.text.hasSuffix("After the scripts."))
    }

    @Test("block structure: paragraphs, list lines, table rows, pre, br")
    func structure() async throws {
        let document = try await DocumentExtractor().extract(try Fixture.data("page.html"), declaredType: "text/html")
        let paragraphs = document.text.components(separatedBy: "\n\n")
        #expect(paragraphs.contains("First paragraph with bold and a link. It continues on a second source line."))
        #expect(paragraphs.contains("first item\nsecond item"))
        #expect(paragraphs.contains("Key | Value\nsize | 256"))
        #expect(paragraphs.contains("line one\nline two"))
        #expect(paragraphs.contains("Line\nbreak"))
    }

    @Test("entities: named, numeric, legacy without semicolon; unknown ones stay")
    func entities() async throws {
        let document = try await DocumentExtractor().extract(try Fixture.data("page.html"), declaredType: "text/html")
        #expect(document.text.contains("Entities: café <tag> — 😀 ©2024 & more &unknown; 5 < 6"))
        #expect(HTMLEntities.decode("&#0;&#xD800;&#1114112;&#150;&#X41;") == "\u{FFFD}\u{FFFD}\u{FFFD}–A")
    }

    @Test("h1–h6 become sections and <title> the title")
    func headings() async throws {
        let document = try await DocumentExtractor().extract(try Fixture.data("page.html"), declaredType: "text/html")
        #expect(document.title == "Cairn & Friends")
        #expect(!document.text.contains("Friends"))
        #expect(document.sections.map(\.heading) == ["Main Title", "Details"])
        #expect(document.sections.map(\.level) == [1, 2])
        for section in document.sections { #expect(document.headingText(of: section) == section.heading) }
        // The h2 is nested in the h1; both run to the end.
        #expect(document.sections[0].range.contains(document.sections[1].range.lowerBound))
        #expect(document.sections.allSatisfy { $0.range.upperBound == document.scalarCount })
    }

    @Test("malformed markup degrades to text, never to a crash or lost text")
    func malformed() async throws {
        let unclosedScript = try await extract("<p>kept</p><script>dropped to the end <p>still script")
        #expect(unclosedScript.text == "kept")
        let literal = try await extract("<p>if a < b and b > c then <3</p><p>unclosed <b attr=\"x>y\">bold")
        #expect(literal.text == "if a < b and b > c then <3\n\nunclosed bold")
        let nestedHeading = try await extract("<h2>Head <div>inside</div> line</h2>text")
        #expect(nestedHeading.sections.map(\.heading) == ["Head inside line"])
        #expect(nestedHeading.text == "Head inside line\n\ntext")
        let scriptInAttribute = try await extract("<a title='</script>'>link</a><script>x</SCRIPT >after")
        #expect(scriptInAttribute.text == "linkafter")
    }

    @Test("a legacy page in Windows-1252 is read by its meta charset")
    func metaCharset() async throws {
        var data = Data("<html><head><meta charset=\"windows-1252\"></head><body><p>caf".utf8)
        data.append(contentsOf: [0xE9, 0x20, 0x93, 0x71, 0x94])  // é “q”
        data.append(contentsOf: Data("</p></body></html>".utf8))
        let document = try await DocumentExtractor().extract(data, declaredType: "text/html")
        #expect(document.text == "café “q”")
    }
}
