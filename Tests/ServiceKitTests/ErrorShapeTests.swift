import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ServiceKit
import CairnTesting

@Suite struct ErrorShapeTests {
    func decodeError(_ response: TestResponse) throws -> ErrorBody {
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        return try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
    }

    @Test func apiErrorsKeepStatusCodeMessageAndDetails() async throws {
        try await TestApp.build(logger: TestInfra.logger()).test(.router) { client in
            try await client.execute(uri: "/forbidden", method: .get, headers: [.requestID: "abc-1"]) { response in
                #expect(response.status == .forbidden)
                let body = try decodeError(response)
                #expect(body == ErrorBody(error: .init(code: "FORBIDDEN", message: "not yours", details: ["resource": "thing"], requestID: "abc-1")))
            }
        }
    }

    @Test func unknownErrorsAreABare500AndTheDetailGoesToTheLog() async throws {
        let capture = LogCapture()
        try await TestApp.build(logger: TestInfra.logger(capture: capture)).test(.router) { client in
            try await client.execute(uri: "/boom", method: .get) { response in
                #expect(response.status == .internalServerError)
                let body = try decodeError(response)
                #expect(body.error.code == "INTERNAL")
                #expect(body.error.message == "internal error")
                #expect(!String(buffer: response.body).contains("hunter2"))
                #expect(body.error.requestID == response.headers[.requestID])
            }
        }
        let failure = capture.entries.first { $0["msg"] as? String == "request failed" }
        #expect((failure?["error"] as? String)?.contains("connection string") == true)
    }

    @Test func unknownRoutesAre404InTheSameShape() async throws {
        try await TestApp.build(logger: TestInfra.logger()).test(.router) { client in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try decodeError(response)
                #expect(body.error.code == "NOT_FOUND")
            }
        }
    }

    @Test func aNulCharacterInAnyJSONStringIsA400() async throws {
        try await TestApp.build(logger: TestInfra.logger()).test(.router) { client in
            for body in [#"{"name": "a\u0000b"}"#, #"{"name\u0000": "x", "name": "ada"}"#, #"{"name": "\\\u0000"}"#] {
                try await client.execute(uri: "/greet", method: .post, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    let error = try decodeError(response).error
                    #expect(error.message.contains("NUL"))
                }
            }
            // An escaped backslash before `u0000` is six ordinary characters.
            try await client.execute(uri: "/greet", method: .post, body: ByteBuffer(string: #"{"name": "a\\u0000"}"#)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"hello a\u0000"#)
            }
        }
    }

    @Test func theKitsContextDecodesWithTheSharedDecoder() {
        // Chosen by associated-type inference: a context that declared its own would lose the NUL check.
        #expect(ServiceRequestContext.Decoder.self == JSONRequestDecoder.self)
    }

    @Test func theSharedDecoderReadsISO8601DatesAsHummingbirdsDoes() async throws {
        try await TestApp.build(logger: TestInfra.logger()).test(.router) { client in
            try await client.execute(uri: "/appointment", method: .post, body: ByteBuffer(string: #"{"at": "2026-01-02T03:04:05Z"}"#)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "1767323045")
            }
        }
    }

    @Test func malformedJSONIsA400NotA500() async throws {
        try await TestApp.build(logger: TestInfra.logger()).test(.router) { client in
            try await client.execute(uri: "/greet", method: .post, body: ByteBuffer(string: "{\"nam\": 1}")) { response in
                #expect(response.status == .badRequest)
                let body = try decodeError(response)
                #expect(body.error.code == "INVALID_REQUEST")
            }
            try await client.execute(uri: "/greet", method: .post, body: ByteBuffer(string: "{\"name\": \"ada\"}")) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "hello ada")
            }
        }
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        try await TestApp.build(logger: TestInfra.logger()).test(.router) { client in
            try await client.execute(uri: "/upload", method: .post, body: ByteBuffer(repeating: 0x41, count: 4096)) { response in
                #expect(response.status == .contentTooLarge)
                let body = try decodeError(response)
                #expect(body.error.code == "PAYLOAD_TOO_LARGE")
                #expect(body.error.details?["limit_bytes"] == 2048)
            }
            try await client.execute(uri: "/upload", method: .post, body: ByteBuffer(repeating: 0x41, count: 2000)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "2000")
            }
        }
    }
}
