import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A trivial upstream service: echoes what the gateway forwarded, answers, streams SSE in two
/// parts (the second only once the test releases it), or answers slowly.
final class TestUpstream: Sendable {
    private let release = Mutex<[CheckedContinuation<Void, Never>]>([])
    private let released = Mutex(false)
    private let chats = Atomic<Int>(0)
    private let asks = Atomic<Int>(0)

    /// How many chat requests reached the upstream.
    var chatCount: Int { chats.load(ordering: .relaxed) }
    /// How many quota-counted requests reached the upstream.
    var askCount: Int { asks.load(ordering: .relaxed) }

    /// Lets every waiting stream send its second part.
    func releaseStreams() {
        let waiting = release.withLock { waiting in
            defer { waiting.removeAll() }
            return waiting
        }
        released.withLock { $0 = true }
        for continuation in waiting { continuation.resume() }
    }

    private func waitForRelease() async {
        await withCheckedContinuation { continuation in
            let now = released.withLock { $0 }
            if now { continuation.resume() } else { release.withLock { $0.append(continuation) } }
        }
    }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.get("/v1/test/echo") { request, _ in
            var echoed: [String: String] = [:]
            // Every value, so a header sent twice shows up as "first|second".
            for field in request.headers { echoed[field.name.canonicalName] = echoed[field.name.canonicalName].map { "\($0)|\(field.value)" } ?? field.value }
            echoed["query"] = request.uri.query ?? ""
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: echoed))))
        }
        for path in ["/v1/test/chat", "/v1/test/ask", "/v1/test/search", "/v1/test/upload"] {
            router.post(RouterPath(path)) { request, _ in
                let body = try await request.body.collect(upTo: 1 << 30)
                if path.hasSuffix("chat") { self.chats.add(1, ordering: .relaxed) }
                if path.hasSuffix("ask") { self.asks.add(1, ordering: .relaxed) }
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: "{\"received_bytes\":\(body.readableBytes)}")))
            }
        }
        // Refuses an upload at once, without reading it (as a service refusing a malformed form does).
        router.post("/v1/test/reject-upload") { _, _ in
            Response(status: .badRequest, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"code":"BAD_REQUEST","message":"refused unread"}}"#)))
        }
        router.get("/v1/test/anonymous") { _, _ in "anonymous ok" }
        // Reads the whole upload, then answers after ?wait= seconds.
        router.post("/v1/test/upload-then-slow") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 30)
            try await Task.sleep(for: .seconds(Double(request.uri.queryParameters["wait"].map(String.init) ?? "0") ?? 0))
            return "received \(body.readableBytes)"
        }
        router.get("/v1/test/slow") { _, _ in
            try await Task.sleep(for: .seconds(3))
            return "late"
        }
        router.get("/v1/test/stream") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: .init { writer in
                try await writer.write(ByteBuffer(string: "data: first\n\n"))
                await self.waitForRelease()
                try await writer.write(ByteBuffer(string: "data: second\n\n"))
                try await writer.finish(nil)
            })
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}
