import Logging
import Testing
@testable import ServiceKit

@Suite struct LoggingTests {
    @Test func writesOneJSONObjectPerLineWithMetadata() throws {
        let capture = LogCapture()
        var logger = Logger(label: "cairn.test") { JSONLogHandler(label: $0, service: "auth", level: .info, sink: capture.sink) }
        logger[metadataKey: "request_id"] = "req-1"
        logger.info("hello", metadata: ["document_id": "d1"])
        logger.debug("below the level")
        let entries = capture.entries
        #expect(entries.count == 1)
        #expect(entries.first?["msg"] as? String == "hello")
        #expect(entries.first?["service"] as? String == "auth")
        #expect(entries.first?["request_id"] as? String == "req-1")
        #expect(entries.first?["document_id"] as? String == "d1")
        #expect(capture.text.hasSuffix("}\n"))
    }

    @Test func redactsSecretLookingKeys() {
        let capture = LogCapture()
        let logger = Logger(label: "t") { JSONLogHandler(label: $0, service: "s", level: .info, sink: capture.sink) }
        logger.info("login", metadata: ["password": "hunter2", "refresh_token": "rt-abc", "nested": ["api_key": "k-123"]])
        #expect(!capture.text.contains("hunter2"))
        #expect(!capture.text.contains("rt-abc"))
        #expect(!capture.text.contains("k-123"))
        #expect(capture.text.contains("[REDACTED]"))
    }
}
