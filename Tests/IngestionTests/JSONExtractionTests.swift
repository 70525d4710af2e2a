import Foundation
import Testing

@testable import IngestionApp

@Suite("JSON extraction")
struct JSONExtractionTests {
    func extract(_ data: Data, fields: [JSONFieldPath] = [], limits: IngestionLimits = IngestionLimits()) async throws -> ExtractedDocument {
        try await DocumentExtractor(limits: limits, jsonFields: fields).extract(data, declaredType: "application/json")
    }

    @Test("by default every string value, in document order, one block each")
    func allStrings() async throws {
        let document = try await extract(try Fixture.data("records.json"))
        #expect(document.text.components(separatedBy: "\n\n") == [
            "Quarterly report", "Ada Lovelace", "ada@example.com", "Revenue", "Revenue grew by 12 percent.",
            "finance", "growth", "Costs", "Costs fell.\nSee the appendix é😀.",
        ])
    }

    @Test("configured fields pick values; arrays are walked; * matches any key")
    func fields() async throws {
        let data = try Fixture.data("records.json")
        #expect(try await extract(data, fields: ["title", "sections.body"]).text
            == "Quarterly report\n\nRevenue grew by 12 percent.\n\nCosts fell.\nSee the appendix é😀.")
        #expect(try await extract(data, fields: ["sections.*"]).text.components(separatedBy: "\n\n").count == 6)
        #expect(try await extract(data, fields: ["author"]).text == "Ada Lovelace\n\nada@example.com")
        // Numbers and booleans count when a field names them directly.
        #expect(try await extract(data, fields: ["id", "published"]).text == "12345\n\ntrue")
        // Document order, not the order of the fields.
        #expect(try await extract(data, fields: ["sections.heading", "title"]).text == "Quarterly report\n\nRevenue\n\nCosts")
        #expect(await extractionError { _ = try await extract(data, fields: ["nothing.here"]) } == .empty)
    }

    @Test("object keys keep their document order (dictionary order would differ per process)")
    func keyOrder() async throws {
        let document = try await extract(Data(#"{"zeta": "first", "alpha": "second", "mid": {"b": "third", "a": "fourth"}}"#.utf8))
        #expect(document.text == "first\n\nsecond\n\nthird\n\nfourth")
    }

    @Test("invalid JSON fails with the byte offset")
    func invalid() async throws {
        for (json, offset) in [(#"{"a": "b",}"#, 10), (#"{"a" "b"}"#, 5), ("[1, 2", 5), (#"{"a": tru}"#, 6), ("\"\u{1}\"", 1), ("[] []", 3)] {
            let error = await extractionError { _ = try await extract(Data(json.utf8)) }
            guard case .undecodable(let why)? = error else {
                Issue.record("\(json): expected undecodable, got \(String(describing: error))")
                continue
            }
            #expect(why.contains("invalid JSON at byte \(offset)"), "\(json): \(why)")
        }
    }

    @Test("nesting is bounded by the limit, which the error names")
    func depth() async throws {
        let deep = String(repeating: "[", count: 100) + "\"x\"" + String(repeating: "]", count: 100)
        let error = await extractionError { _ = try await extract(Data(deep.utf8)) }
        #expect(error?.reason.contains("64") == true)
        var limits = IngestionLimits()
        limits.maxJSONDepth = 100
        #expect(try await extract(Data(deep.utf8), limits: limits).text == "x")
    }

    @Test("escapes, surrogate pairs and lone surrogates")
    func escapes() async throws {
        let document = try await extract(Data(#"["tab\there", "\u00e9\ud83d\ude00", "lone \ud800 surrogate", "\/\\\""]"#.utf8))
        #expect(document.text == "tab here\n\né😀\n\nlone \u{FFFD} surrogate\n\n/\\\"")
    }
}
