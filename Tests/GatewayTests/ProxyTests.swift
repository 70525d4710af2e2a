import AsyncHTTPClient
import CairnTesting
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit
import Testing

extension GatewayTestSuite {
    @Suite("Gateway: proxying", .serialized)
    struct ProxyTests {
        @Test("SSE passes through chunk by chunk: the first event arrives before the upstream finishes")
        func ssePassthrough() async throws {
            try await GatewayHarness.run { gateway in
                let (token, _) = try await gateway.register()
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(gateway.gatewayPort)/v1/test/stream")
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "Content-Type") == "text/event-stream")
                #expect(response.headers.first(name: "RateLimit-Limit") == "30")
                // The upstream holds its second event until released: the first must already be here,
                // and a gateway that buffered would time out here rather than hang the suite.
                let upstream = gateway.upstream
                let received = try await withTimeout(.seconds(10)) {
                    var iterator = response.body.makeAsyncIterator()
                    var received = ""
                    while !received.contains("data: first\n\n"), let chunk = try await iterator.next() {
                        received += String(buffer: chunk)
                    }
                    #expect(received == "data: first\n\n")
                    upstream.releaseStreams()
                    while let chunk = try await iterator.next() { received += String(buffer: chunk) }
                    return received
                }
                #expect(received == "data: first\n\ndata: second\n\n")
            }
        }

        @Test("an upstream that is down is 503 UNAVAILABLE; one too slow is 504; both in the error shape")
        func upstreamFailures() async throws {
            try await GatewayHarness.run { gateway in
                let (token, _) = try await gateway.register()
                let started = ContinuousClock.now
                let down = try await gateway.call(.get, "/v1/test/down", token: token)
                #expect(down.status == .serviceUnavailable, "\(down.text)")
                #expect(down.errorCode == "UNAVAILABLE")
                #expect(down.string("error", "request_id")?.isEmpty == false)
                #expect(down.header("RateLimit-Remaining") != nil)
                #expect(ContinuousClock.now - started < .seconds(5), "a dead upstream must not hang the request")

                let slow = try await gateway.call(.get, "/v1/test/slow", token: token)
                #expect(slow.status == .gatewayTimeout, "\(slow.text)")
                #expect(slow.errorCode == "UPSTREAM_TIMEOUT")
            }
        }

        @Test("an upload the upstream refuses before reading it: the refusal comes back and the gateway carries on")
        func uploadRefusedUnread() async throws {
            try await GatewayHarness.run { gateway in
                let (token, _) = try await gateway.register()
                // A slow streamed upload: the gateway is still waiting for its next chunk when the
                // upstream has already answered, and then Hummingbird reads the rest of the body.
                // Two readers of one body trap and take the gateway down (`RequestBodyGate`).
                for _ in 0..<3 {
                    let response = try await Self.trickle(gateway, token: token, path: "/v1/test/reject-upload", chunks: 8, of: 16_384, every: .milliseconds(40))
                    #expect(response.status == 400)
                    #expect(response.text.contains("refused unread"), "\(response.text)")
                }
                let after = try await gateway.call(.get, "/v1/test/echo", token: token)
                #expect(after.status == .ok, "the gateway is still serving: \(after.text)")
            }
        }

        @Test("an upload's timeout starts once its body is in: a slow upload is served, a slow answer after it is 504")
        func uploadTimeoutAfterBody() async throws {
            try await GatewayHarness.run { gateway in
                let (token, _) = try await gateway.register()
                // The route's timeout is 1 s; the body takes about 4 s to arrive.
                let slowUpload = try await Self.trickle(gateway, token: token, path: "/v1/test/upload-then-slow?wait=0", chunks: 20, every: .milliseconds(200))
                #expect(slowUpload.status == 200, "\(slowUpload.text)")
                #expect(slowUpload.text == "received 81920")
                // The body arrives at once; the answer takes 3 s.
                let slowAnswer = try await Self.trickle(gateway, token: token, path: "/v1/test/upload-then-slow?wait=3", chunks: 1, every: .zero)
                #expect(slowAnswer.status == 504, "\(slowAnswer.text)")
                #expect(slowAnswer.text.contains("UPSTREAM_TIMEOUT"))
            }
        }

        /// A streamed upload of `chunks` chunks of `size` bytes, one every `every`; the status and text.
        static func trickle(
            _ gateway: GatewayHarness, token: String, path: String, chunks: Int, of size: Int = 4_096, every: Duration
        ) async throws -> (status: UInt, text: String) {
            let body = AsyncStream<ByteBuffer> { continuation in
                Task {
                    for _ in 0..<chunks {
                        continuation.yield(ByteBuffer(repeating: 7, count: size))
                        try? await Task.sleep(for: every)
                    }
                    continuation.finish()
                }
            }
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(gateway.gatewayPort)\(path)")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.body = .stream(body, length: .known(Int64(chunks * size)))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            return (response.status.code, String(buffer: try await response.body.collect(upTo: 1 << 16)))
        }

        @Test("bodies: 413 above the standard limit; uploads stream through up to their own limit")
        func bodyLimits() async throws {
            try await GatewayHarness.run(overrides: ["CAIRN_MAX_BODY_BYTES": "4096", "CAIRN_GATEWAY_UPLOAD_MAX_BYTES": "200000"]) { gateway in
                let (token, _) = try await gateway.register()
                let big = String(repeating: "a", count: 5_000)
                let refused = try await gateway.call(.post, "/v1/test/chat", json: ["text": big], token: token)
                #expect(refused.status == .contentTooLarge, "\(refused.text)")
                #expect(refused.errorCode == "PAYLOAD_TOO_LARGE")

                let upload = try await gateway.send(
                    .post, "/v1/test/upload", headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(repeating: 7, count: 150_000)
                )
                #expect(upload.status == .ok, "\(upload.text)")
                #expect(upload.int("received_bytes") == 150_000)

                let tooBig = try await gateway.send(
                    .post, "/v1/test/upload", headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(repeating: 7, count: 250_000)
                )
                #expect(tooBig.status == .contentTooLarge)
            }
        }
    }
}
