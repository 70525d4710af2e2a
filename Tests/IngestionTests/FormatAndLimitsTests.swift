import Foundation
import Testing

@testable import IngestionApp

@Suite("Format detection and limits")
struct FormatAndLimitsTests {
    @Test("declared media types, with parameters, aliases and any case")
    func declared() throws {
        let data = Data("whatever".utf8)
        let cases: [(String, DocumentFormat)] = [
            ("text/plain", .plainText), ("Text/HTML; charset=UTF-8", .html), ("text/x-markdown", .markdown),
            ("application/xhtml+xml", .html), ("application/ld+json", .json), ("application/pdf", .pdf),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", .docx),
        ]
        for (type, format) in cases {
            #expect(try DocumentFormat.detect(declaredType: type, data: data) == format, "\(type)")
        }
    }

    @Test("generic types are sniffed: %PDF, PK zip with word/document.xml, HTML, JSON, text, file name")
    func sniffing() throws {
        func detect(_ data: Data, _ filename: String? = nil) throws -> DocumentFormat {
            try DocumentFormat.detect(declaredType: "application/octet-stream", filename: filename, data: data)
        }
        #expect(try detect(try Fixture.data("single-page.pdf")) == .pdf)
        #expect(try detect(Data("   \n%PDF-1.4 junk before the header is allowed".utf8)) == .pdf)
        #expect(try detect(try Fixture.data("sample.docx")) == .docx)
        #expect(try detect(Data("\n  <!DOCTYPE html><html>".utf8)) == .html)
        #expect(try detect(Data(" {\"a\": 1}".utf8)) == .json)
        #expect(try detect(Data("just words".utf8)) == .plainText)
        #expect(try detect(Data("# Title".utf8), "notes.md") == .markdown)
        #expect(try DocumentFormat.detect(declaredType: nil, data: Data("plain".utf8)) == .plainText)
        #expect(try detect(try Fixture.data("empty.txt")) == .plainText)  // and then fails as empty
        #expect(throws: ExtractionError.self) { try detect(Data([0x89, 0x50, 0x4E, 0x47, 0xFF, 0xFE, 0x00, 0xC3])) }
    }

    @Test("unknown types are 415 with the type and what is supported")
    func unsupported() async throws {
        let error = await extractionError { _ = try await DocumentExtractor().extract(Data("x".utf8), declaredType: "image/png") }
        #expect(error?.category == .unsupportedMediaType)
        #expect(error?.reason.contains("image/png") == true && error?.reason.contains("application/pdf") == true)
        #expect(error?.code == "UNSUPPORTED_MEDIA_TYPE")
    }

    @Test("a type outside allowedMediaTypes is 415 even if we could extract it")
    func allowedTypes() async throws {
        var limits = IngestionLimits()
        limits.allowedMediaTypes = ["text/plain"]
        let extractor = DocumentExtractor(limits: limits)
        #expect(try await extractor.extract(Data("ok".utf8), declaredType: "text/plain").text == "ok")
        let error = await extractionError { _ = try await extractor.extract(try Fixture.data("single-page.pdf"), declaredType: "application/octet-stream") }
        #expect(error == .unsupportedMediaType("application/pdf", allowed: ["text/plain"]))
    }

    @Test("uploads over the size limit are 413 with the limit in the message")
    func uploadSize() async throws {
        let limits = IngestionLimits()
        #expect(limits.maxUploadBytes == 25 * 1_048_576)
        #expect(throws: ExtractionError.tooLarge(bytes: 30_000_000, limit: 26_214_400)) { try limits.checkUploadSize(30_000_000) }
        try limits.checkUploadSize(26_214_400)
        let error = ExtractionError.tooLarge(bytes: 30_000_000, limit: 26_214_400)
        #expect(error.category == .tooLarge && error.reason.contains("26214400 bytes (25 MiB)"))

        var small = IngestionLimits()
        small.maxUploadBytes = 10
        let thrown = await extractionError { _ = try await DocumentExtractor(limits: small).extract(Data(count: 11), declaredType: "text/plain") }
        #expect(thrown == .tooLarge(bytes: 11, limit: 10))
    }

    @Test("extracted text over its limit is refused")
    func textLimit() async throws {
        var limits = IngestionLimits()
        limits.maxExtractedTextBytes = 1000
        let text = String(repeating: "word ", count: 400)
        let error = await extractionError { _ = try await DocumentExtractor(limits: limits).extract(Data(text.utf8), declaredType: "text/plain") }
        #expect(error == .textTooLong(limit: 1000))
    }

    @Test("every error has the category (HTTP status class) the issue asks for")
    func categories() {
        let expected: [(ExtractionError, ExtractionError.Category)] = [
            (.unsupportedMediaType("a/b", allowed: []), .unsupportedMediaType),
            (.tooLarge(bytes: 2, limit: 1), .tooLarge),
            (.undecodable("x"), .unprocessable), (.corrupted("x"), .unprocessable), (.encrypted, .unprocessable),
            (.empty, .unprocessable), (.tooManyPages(limit: 1), .unprocessable), (.archiveTooLarge("x"), .unprocessable),
            (.textTooLong(limit: 1), .unprocessable), (.tooManyChunks(limit: 1), .unprocessable),
            (.timedOut(milliseconds: 1), .unprocessable), (.internal("x"), .internal),
        ]
        for (error, category) in expected {
            #expect(error.category == category, "\(error)")
            #expect(!error.reason.isEmpty && !error.code.isEmpty)
        }
        #expect(Set(expected.map(\.0.code)).count == expected.count)
    }
}
