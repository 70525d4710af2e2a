@testable import GenerationApp
import ServiceKit
import Testing

@Suite struct SSEParserTests {
    @Test func multiLineDataCommentsAndCRLF() throws {
        var parser = SSEParser()
        let input = ": keep-alive\r\n\r\nevent: message_start\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\ndata: [DONE]\n\n"
        var events: [ServerSentEvent] = []
        // Fed one byte at a time: splits land inside every line and the CRLF pairs.
        for byte in input.utf8 { events += try parser.feed([byte]) }
        #expect(events == [ServerSentEvent(event: "message_start", data: "{\"a\":\n1}"), ServerSentEvent(data: "[DONE]")])
    }

    @Test func eventWithoutDataIsDroppedAndSplitUTF8IsKept() throws {
        var parser = SSEParser()
        let bytes = Array("event: ping\n\ndata: caf\u{e9}\n\n".utf8)
        let cut = bytes.firstIndex(of: 0xC3)! + 1
        var events = try parser.feed(bytes[..<cut])
        events += try parser.feed(bytes[cut...])
        #expect(events == [ServerSentEvent(data: "caf\u{e9}")])
    }
}
