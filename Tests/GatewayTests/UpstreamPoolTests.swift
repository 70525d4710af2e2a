import CairnTesting
import Foundation
@testable import GatewayApp
import NIOCore
import NIOHTTP1
import Testing

/// The proxy's own keep-alive connections, against an upstream that misbehaves on purpose.
@Suite("Gateway: upstream connection pool", .serialized)
struct UpstreamPoolTests {
    static func get(_ path: String, method: HTTPMethod = .GET) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: ["Host": "upstream"])
    }

    static func text(_ answer: UpstreamAnswer) -> String {
        answer.firstParts.map { String(buffer: $0) }.joined()
    }

    static func withUpstream(maxOpen: Int = 1_024, _ body: (ScriptedUpstream, UpstreamConnectionPool) async throws -> Void) async throws {
        let upstream = try await ScriptedUpstream.start()
        let pool = UpstreamConnectionPool(host: "127.0.0.1", port: upstream.port, maxOpen: maxOpen)
        do {
            try await body(upstream, pool)
        } catch {
            pool.closeIdle()
            await upstream.stop()
            throw error
        }
        pool.closeIdle()
        await upstream.stop()
    }

    @Test("sequential requests share one keep-alive connection; concurrent ones open no more than they need")
    func reuse() async throws {
        try await Self.withUpstream { upstream, pool in
            var serials = Set<String>()
            for _ in 0..<20 {
                let answer = try await pool.send(Self.get("/whoami"), body: nil, headTimeout: .seconds(5))
                #expect(answer.head.status == .ok)
                #expect(answer.rest == nil, "a small answer arrives whole")
                serials.insert(Self.text(answer))
            }
            #expect(serials == ["1"])
            // Bursts of 8 never need more than 8 connections: each finished request's connection
            // is pooled for the next (without reuse, these 48 requests would open 48).
            for _ in 0..<6 {
                _ = try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<8 { group.addTask { _ = try await pool.send(Self.get("/whoami"), body: nil, headTimeout: .seconds(5)) } }
                    try await group.waitForAll()
                }
            }
            #expect(upstream.connections <= 8, "opened \(upstream.connections) connections for bursts of 8")
        }
    }

    @Test("an idempotent request whose reused connection the upstream closed is sent again on a new one; a POST is not")
    func retryOnClosedIdleConnection() async throws {
        try await Self.withUpstream { upstream, pool in
            let first = try await pool.send(Self.get("/first-only"), body: nil, headTimeout: .seconds(5))
            #expect(Self.text(first) == "first")
            let again = try await pool.send(Self.get("/first-only"), body: nil, headTimeout: .seconds(5))
            #expect(Self.text(again) == "first", "sent again on a fresh connection")
            #expect(upstream.connections == 2)

            await #expect(throws: UpstreamFailure.closedBeforeAnswer) {
                _ = try await pool.send(Self.get("/first-only", method: .POST), body: ByteBuffer(string: "{}"), headTimeout: .seconds(5))
            }
            #expect(upstream.connections == 2, "a POST is never sent twice")
        }
    }

    @Test("no head in time is a timeout; a closed port is unreachable; past the connection cap, saturated at once")
    func failures() async throws {
        try await Self.withUpstream(maxOpen: 1) { upstream, pool in
            let started = ContinuousClock.now
            await #expect(throws: UpstreamFailure.timeout) {
                _ = try await pool.send(Self.get("/silent"), body: nil, headTimeout: .milliseconds(200))
            }
            #expect(ContinuousClock.now - started < .seconds(3))
            // The timed-out connection is closed, not reused: the next request gets a new one.
            let answer = try await pool.send(Self.get("/whoami"), body: nil, headTimeout: .seconds(5))
            #expect(Self.text(answer) == "2")

            let waiting = Task { try await pool.send(Self.get("/silent"), body: nil, headTimeout: .seconds(5)) }
            try await Task.sleep(for: .milliseconds(200))
            // The one allowed connection is busy with the silent request.
            await #expect(throws: UpstreamFailure.saturated) {
                _ = try await pool.send(Self.get("/whoami"), body: nil, headTimeout: .seconds(5))
            }
            waiting.cancel()
            await #expect(throws: (any Error).self) { _ = try await waiting.value }
        }
        let closed = UpstreamConnectionPool(host: "127.0.0.1", port: try freePort())
        await #expect {
            _ = try await closed.send(Self.get("/whoami"), body: nil, headTimeout: .seconds(5))
        } throws: { error in
            if case UpstreamFailure.unreachable = error { return true }
            return false
        }
    }

    @Test("a streamed answer flows with back-pressure, and a consumer that stops closes the upstream connection")
    func streamingAndDisconnect() async throws {
        try await Self.withUpstream { upstream, pool in
            let answer = try await pool.send(Self.get("/endless"), body: nil, headTimeout: .seconds(5))
            let rest = try #require(answer.rest, "an endless answer streams")
            var received = Self.text(answer)
            var iterator = Optional(rest.makeAsyncIterator())
            while received.components(separatedBy: "data: ").count < 6, let part = try await iterator?.next() {
                received += String(buffer: part)
            }
            #expect(received.hasPrefix("data: 0\n\ndata: 1\n\n"))
            #expect(upstream.endedStreams == 0)
            // Dropping the iterator and the sequence is a client that went away.
            iterator = nil
            let deadline = ContinuousClock.now + .seconds(5)
            while upstream.endedStreams == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(upstream.endedStreams == 1, "the upstream saw the connection close")
        }
    }

    @Test("a reader that stops reading holds the upstream back instead of buffering its answer")
    func backPressure() async throws {
        try await Self.withUpstream { upstream, pool in
            let answer = try await pool.send(Self.get("/flood"), body: nil, headTimeout: .seconds(5))
            let rest = try #require(answer.rest)
            let iterator = rest.makeAsyncIterator()
            var received = 0
            while received < 1 << 20, let part = try await iterator.next() { received += part.readableBytes }
            // The reader pauses: the upstream may fill the socket buffers and the stream's few
            // parts, then must stop. Unchecked, it would hand over gigabytes in this time.
            try await Task.sleep(for: .milliseconds(500))
            let paused = upstream.floodedBytes
            try await Task.sleep(for: .milliseconds(300))
            #expect(upstream.floodedBytes - paused < 1 << 20, "the upstream kept writing while nobody read")
            #expect(upstream.floodedBytes < 64 << 20)
            // Reading again lets it go on.
            while received < 4 << 20, let part = try await iterator.next() { received += part.readableBytes }
            #expect(received >= 4 << 20)
        }
    }

    @Test("a finished stream's late end of consumption does not touch the connection's next exchange")
    func lateTerminationAfterReuse() async throws {
        try await Self.withUpstream { upstream, pool in
            let first = try await pool.send(Self.get("/two-parts"), body: nil, headTimeout: .seconds(5))
            var iterator = Optional(try #require(first.rest).makeAsyncIterator())
            var text = Self.text(first)
            while let part = try await iterator?.next() { text += String(buffer: part) }
            #expect(text == "firstsecnd")
            let next = try await pool.send(Self.get("/whoami"), body: nil, headTimeout: .seconds(5))
            #expect(Self.text(next) == "1", "the streamed answer's connection is reused")
            iterator = nil  // the first answer's consumer goes away only now
            try await Task.sleep(for: .milliseconds(100))
            let after = try await pool.send(Self.get("/whoami"), body: nil, headTimeout: .seconds(5))
            #expect(Self.text(after) == "1", "still the same connection")
            #expect(upstream.connections == 1)
        }
    }

    @Test("pool bases: only plain http://host[:port] is served by the pool")
    func bases() {
        #expect(UpstreamConnectionPool(base: "http://billing:8082")?.authority == "billing:8082")
        #expect(UpstreamConnectionPool(base: "http://billing")?.port == 80)
        #expect(UpstreamConnectionPool(base: "http://[::1]:8082")?.authority == "[::1]:8082")
        #expect(UpstreamConnectionPool(base: "https://billing:8082") == nil)
        #expect(UpstreamConnectionPool(base: "http://billing:8082/prefix") == nil)
        #expect(UpstreamConnectionPool(base: "http://billing:0") == nil)
        #expect(UpstreamConnectionPool(base: "http://:80") == nil)
        #expect(UpstreamConnectionPool(base: "http://[::1]:99999") == nil)
    }
}
