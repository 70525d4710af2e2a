import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ServiceKit
import CairnTesting

@Suite struct RequestIDTests {
    @Test func acceptsTheCallersIDReturnsItAndLogsItOnEveryLine() async throws {
        let capture = LogCapture()
        try await TestApp.build(logger: TestInfra.logger(capture: capture)).test(.router) { client in
            try await client.execute(
                uri: "/greet", method: .post, headers: [.requestID: "trace-42"], body: ByteBuffer(string: "{\"name\":\"bo\"}")
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.requestID] == "trace-42")
            }
        }
        let lines = capture.entries.filter { $0["msg"] as? String == "greeting" }
        #expect(lines.count == 1)
        #expect(lines.first?["request_id"] as? String == "trace-42")
        #expect(lines.first?["hb.request.id"] == nil)
    }

    @Test("generated ids are version-4 UUID text, lowercase, and never repeat")
    func generatedIDsAreUUIDsAndUnique() {
        var seen = Set<String>()
        for _ in 0..<100_000 {
            let id = RequestIDGenerator.next()
            seen.insert(id)
        }
        #expect(seen.count == 100_000)
        for id in seen.prefix(1_000) {
            let parsed = UUID(uuidString: id)
            #expect(parsed != nil && parsed?.uuidString.lowercased() == id, "\(id)")
            let bytes = Array(id.utf8)
            #expect(bytes[14] == UInt8(ascii: "4"), "version 4: \(id)")
            #expect("89ab".utf8.contains(bytes[19]), "RFC 9562 variant: \(id)")
        }
        #expect(RequestIDGenerator.format(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210) == "01234567-89ab-cdef-fedc-ba9876543210")
    }

    @Test func generatesAnIDWhenAbsentOrUnsafe() async throws {
        try await TestApp.build(logger: TestInfra.logger()).test(.router) { client in
            let first = try await client.execute(uri: "/health", method: .get).headers[.requestID]
            let second = try await client.execute(uri: "/health", method: .get).headers[.requestID]
            #expect(first != nil && second != nil && first != second)
            #expect(UUID(uuidString: first ?? "") != nil)

            let hostile = String(repeating: "x", count: 200)
            let replaced = try await client.execute(uri: "/health", method: .get, headers: [.requestID: hostile]).headers[.requestID]
            #expect(replaced != hostile && replaced != nil)
            let injected = try await client.execute(uri: "/health", method: .get, headers: [.requestID: "a\"b}"]).headers[.requestID]
            #expect(injected != "a\"b}")
        }
    }

    @Test func errorResponsesCarryTheIDInHeaderAndBody() async throws {
        try await TestApp.build(logger: TestInfra.logger()).test(.router) { client in
            try await client.execute(uri: "/boom", method: .get, headers: [.requestID: "err-7"]) { response in
                #expect(response.headers[.requestID] == "err-7")
                let body = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
                #expect(body.error.requestID == "err-7")
            }
        }
    }

    @Test func validatesCandidates() {
        #expect(RequestIDMiddleware<ServiceRequestContext>.accept("abc-DEF_1.2:3") == "abc-DEF_1.2:3")
        #expect(RequestIDMiddleware<ServiceRequestContext>.accept("") == nil)
        #expect(RequestIDMiddleware<ServiceRequestContext>.accept("has space") == nil)
        #expect(RequestIDMiddleware<ServiceRequestContext>.accept("ünïcode") == nil)
    }
}
