import Foundation
import Testing

@testable import IngestionApp

@Suite("DOCX extraction")
struct DOCXExtractionTests {
    static let docxType = DocumentFormat.docx.mediaType

    func extract(_ name: String, limits: IngestionLimits = IngestionLimits(), type: String = docxType) async throws -> ExtractedDocument {
        try await DocumentExtractor(limits: limits).extract(try Fixture.data(name), declaredType: type)
    }

    @Test("paragraphs, runs, heading styles as nested sections, tables as rows")
    func sample() async throws {
        let document = try await extract("sample.docx")
        #expect(document.format == .docx)
        #expect(document.sections.map(\.heading) == ["Cairn Handbook", "Getting started", "Details", "Appendix"])
        #expect(document.sections.map(\.level) == [0, 1, 2, 1])
        for section in document.sections { #expect(document.headingText(of: section) == section.heading) }
        let (title, started, details, appendix) = (document.sections[0].range, document.sections[1].range,
                                                   document.sections[2].range, document.sections[3].range)
        #expect(title == 0..<document.scalarCount)
        #expect(started.contains(details.lowerBound) && started.upperBound == details.upperBound)
        #expect(started.upperBound < appendix.lowerBound)
        let paragraphs = document.text.components(separatedBy: "\n\n")
        #expect(paragraphs == [
            "Cairn Handbook", "The handbook explains ingestion.", "Getting started",
            "Upload a document. Bold text continues the same paragraph.", "Details",
            "Text in several scripts: 中文文本, العربية, emoji 🚀.", "Setting | Default\nchunk size | 256",
            "Before the page break.", "Appendix", "Last paragraph.",
        ])
    }

    @Test("detected from its zip signature when declared as octet-stream")
    func sniffed() async throws {
        #expect(try await extract("sample.docx", type: "application/octet-stream").format == .docx)
        let notDOCX = await extractionError { _ = try await extract("not-docx.zip", type: "application/octet-stream") }
        #expect(notDOCX?.category == .unsupportedMediaType)
        #expect(notDOCX?.reason.contains("application/zip") == true)
    }

    @Test("zip bomb: caught by the expansion ratio before inflating")
    func bombByRatio() async throws {
        let error = await extractionError { _ = try await extract("bomb.docx") }
        guard case .archiveTooLarge(let why)? = error else {
            Issue.record("expected archiveTooLarge, got \(String(describing: error))")
            return
        }
        #expect(why.contains("100 times"))
        #expect(error?.category == .unprocessable)
    }

    @Test("zip bomb: caught by the uncompressed size cap, which the error names")
    func bombBySize() async throws {
        var limits = IngestionLimits()
        limits.maxCompressionRatio = 100_000
        limits.maxUncompressedBytes = 8 * 1_048_576
        let error = await extractionError { _ = try await extract("bomb.docx", limits: limits) }
        #expect(error?.reason.contains("8388608") == true, "\(String(describing: error))")
    }

    @Test("zip bomb with forged sizes: caught while inflating, by ratio and by size")
    func bombWithLyingHeaders() async throws {
        let byRatio = await extractionError { _ = try await extract("bomb-lying-sizes.docx") }
        #expect(byRatio?.reason.contains("100 times") == true, "\(String(describing: byRatio))")
        var limits = IngestionLimits()
        limits.maxCompressionRatio = 100_000
        limits.maxUncompressedBytes = 8 * 1_048_576
        let bySize = await extractionError { _ = try await extract("bomb-lying-sizes.docx", limits: limits) }
        #expect(bySize?.reason.contains("8388608") == true, "\(String(describing: bySize))")
    }

    @Test("too many zip entries")
    func entryLimit() async throws {
        var limits = IngestionLimits()
        limits.maxArchiveEntries = 5
        let error = await extractionError { _ = try await extract("sample.docx", limits: limits) }
        #expect(error?.reason.contains("more than 5 entries") == true)
    }

    @Test("a DTD in document.xml is refused (entity expansion bombs)")
    func dtd() async throws {
        let error = await extractionError { _ = try await extract("dtd.docx") }
        #expect(error?.reason.contains("DTD") == true)
    }

    @Test("broken archives and archives without document.xml are corrupted")
    func corrupted() async throws {
        let whole = try Fixture.data("sample.docx")
        let truncated = await extractionError {
            _ = try await DocumentExtractor().extract(whole.prefix(whole.count / 2), declaredType: Self.docxType)
        }
        #expect(truncated?.category == .unprocessable)
        let missing = await extractionError { _ = try await extract("not-docx.zip") }
        #expect(missing?.reason.contains("word/document.xml is missing") == true)
        let garbage = await extractionError { _ = try await DocumentExtractor().extract(Data("PK\u{3}\u{4}garbage".utf8), declaredType: Self.docxType) }
        #expect(garbage?.category == .unprocessable)
    }

    @Test("document.xml details: fallbacks, deleted text, field codes, tabs and breaks, outline levels, text boxes")
    func bodyXML() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
                        xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
            <w:body>
              <w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>Localised heading</w:t></w:r></w:p>
              <w:p><w:pPr><w:outlineLvl w:val="2"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Outline heading</w:t></w:r></w:p>
              <w:p><w:r><w:t xml:space="preserve">kept </w:t></w:r><w:del><w:r><w:delText>DELETED</w:delText></w:r></w:del><w:r><w:instrText>FIELD</w:instrText><w:t>after</w:t><w:tab/><w:t>tab</w:t><w:br/><w:t>line</w:t></w:r></w:p>
              <w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>in a text box</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>FALLBACK COPY</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>outer</w:t></w:r></w:p>
            </w:body></w:document>
            """
        let styles = """
            <?xml version="1.0" encoding="UTF-8"?>
            <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
              <w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>
              <w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
            </w:styles>
            """
        let headingStyles = try HeadingStyles.parse(Data(styles.utf8))
        #expect(headingStyles.level(ofStyle: "berschrift1") == 1)
        #expect(headingStyles.level(ofStyle: "Normal") == nil)
        #expect(headingStyles.level(ofStyle: "Heading3") == 3)
        let document = try DocumentXMLReader.read(Data(xml.utf8), headingStyles: headingStyles, limits: IngestionLimits())
        #expect(document.sections.map(\.heading) == ["Localised heading", "Outline heading"])
        #expect(document.sections.map(\.level) == [1, 3])
        #expect(document.text == "Localised heading\n\nOutline heading\n\nkept after tab\nline\n\nin a text box\n\nouter")
    }

    @Test("malformed document.xml is corrupted with its line")
    func malformedXML() throws {
        let xml = "<?xml version=\"1.0\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\n<w:body><w:p></w:body>"
        #expect(throws: ExtractionError.self) {
            _ = try DocumentXMLReader.read(Data(xml.utf8), headingStyles: HeadingStyles(), limits: IngestionLimits())
        }
    }
}
