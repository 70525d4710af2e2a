import Foundation
import Testing

@testable import IngestionApp

@Suite("Markdown extraction")
struct MarkdownExtractionTests {
    func extract(_ markdown: String) async throws -> ExtractedDocument {
        try await DocumentExtractor().extract(Data(markdown.utf8), declaredType: "text/markdown")
    }

    @Test("headings become nested sections whose ranges start at the heading text")
    func sections() async throws {
        let document = try await DocumentExtractor().extract(try Fixture.data("headings.md"), declaredType: "text/markdown; charset=utf-8")
        #expect(document.format == .markdown)
        #expect(document.sections.map(\.heading) == ["Cairn Guide", "Installation", "Requirements", "Setext Heading", "Usage"])
        #expect(document.sections.map(\.level) == [1, 2, 3, 2, 1])
        for section in document.sections {
            #expect(document.headingText(of: section) == section.heading)
            #expect(section.range.upperBound <= document.scalarCount)
        }
        let byName = Dictionary(uniqueKeysWithValues: document.sections.map { ($0.heading, $0.range) })
        let guide = try #require(byName["Cairn Guide"])
        let installation = try #require(byName["Installation"])
        let requirements = try #require(byName["Requirements"])
        let setext = try #require(byName["Setext Heading"])
        let usage = try #require(byName["Usage"])
        #expect(guide.contains(installation.lowerBound) && guide.contains(installation.upperBound - 1))
        #expect(installation.contains(requirements.lowerBound) && installation.upperBound == requirements.upperBound)
        #expect(!installation.contains(setext.lowerBound) && guide.contains(setext.lowerBound))
        #expect(guide.upperBound < usage.lowerBound && usage.upperBound == document.scalarCount)
        let installText = scalarSlice(document.text, installation)
        #expect(installText.hasPrefix("Installation\n\nRun the installer."))
        #expect(installText.contains("make deps") && installText.contains("Python 3"))
    }

    @Test("formatting syntax is dropped, the text a reader sees is kept")
    func inlineSyntax() async throws {
        let document = try await DocumentExtractor().extract(try Fixture.data("headings.md"), declaredType: "text/markdown")
        let text = document.text
        #expect(text.contains("Cairn answers questions from your documents with citations."))
        #expect(text.contains("Then read the README file."))
        #expect(text.contains("# this is a comment in code, not a heading"))  // fenced code is text, not a heading
        #expect(text.contains("- Python 2 Python 3"))
        #expect(text.contains("diagram shows the flow."))
        #expect(text.contains("| Name | Value |\n| size | 256 |"))
        for absent in ["**", "```", "](", "https://example.com", "Front matter", "hidden comment", "[ref]", "|------", "~~", "=====", "## "] {
            #expect(!text.contains(absent), "\(absent) should not be in the text")
        }
    }

    @Test("inline syntax edge cases")
    func inlineEdgeCases() {
        #expect(MarkdownExtractor.inline("a [link [nested]](http://x/(y)) b") == "a link [nested] b")
        #expect(MarkdownExtractor.inline("[**bold** link](x)") == "bold link")
        #expect(MarkdownExtractor.inline("`` code with ` tick `` and \\*literal\\*") == " code with ` tick  and *literal*")
        #expect(MarkdownExtractor.inline("see <https://example.com/x> and a < b > c") == "see https://example.com/x and a < b > c")
        #expect(MarkdownExtractor.inline("[unclosed link and [shortcut]") == "[unclosed link and [shortcut]")
        #expect(MarkdownExtractor.inline("snake_case and 2*3") == "snake_case and 2*3")
    }

    @Test("ATX heading variants; a hash without a space is text")
    func atxVariants() async throws {
        let document = try await extract("#hashtag is not a heading\n\n  ### Closed heading ###\n\n####### seven is text\n\n#\n\nbody")
        #expect(document.sections.map(\.heading) == ["Closed heading"])
        #expect(document.text.contains("#hashtag is not a heading"))
        #expect(document.text.contains("####### seven is text"))
    }

    @Test("a document without headings has no sections; unclosed fences keep their text")
    func noHeadings() async throws {
        let document = try await extract("plain text\n\n```\n# inside an unclosed fence")
        #expect(document.sections.isEmpty)
        #expect(document.text == "plain text\n\n# inside an unclosed fence")
    }
}
