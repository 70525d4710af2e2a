import CairnTesting
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import Testing

@Suite("Gateway: rate limits", .serialized)
struct RateLimitTests {
    @Test("the 31st chat request in a minute is 429 RATE_LIMITED with Retry-After; other classes are separate")
    func chatLimit() async throws {
        try await GatewayHarness.run { gateway in
            let (token, _) = try await gateway.register()
            // 30 at once, then one every 2 s: the first refusal comes at request 31, or later by
            // one per 2 s the requests took (a loaded machine).
            let started = ContinuousClock.now
            var refused: JSONReply?
            var allowed = 0
            while refused == nil, allowed < 40 {
                let reply = try await gateway.call(.post, "/v1/test/chat", json: ["n": allowed], token: token)
                let refills = Int((ContinuousClock.now - started) / .seconds(2))
                if reply.status == .tooManyRequests { refused = reply; break }
                try #require(reply.status == .ok, "request \(allowed + 1): \(reply.text)")
                allowed += 1
                #expect(reply.header("RateLimit-Limit") == "30")
                let remaining = try #require(Int(reply.header("RateLimit-Remaining") ?? ""))
                #expect((30 - allowed...30 - allowed + refills).contains(remaining), "after \(allowed): \(remaining)")
                #expect(Int(reply.header("RateLimit-Reset") ?? "") ?? -1 >= 1)
            }
            let refills = Int((ContinuousClock.now - started) / .seconds(2))
            #expect((30...30 + refills).contains(allowed), "allowed \(allowed) with \(refills) refills")
            let refusal = try #require(refused)
            #expect(refusal.errorCode == "RATE_LIMITED")
            #expect(refusal.header("RateLimit-Remaining") == "0")
            let retry = try #require(Int(refusal.header("Retry-After") ?? ""))
            #expect((1...2).contains(retry), "one request refills every 2 s at 30/min")
            #expect(gateway.upstream.chatCount == allowed, "the refused request never reached the upstream")

            let search = try await gateway.call(.post, "/v1/test/search", json: [:], token: token)
            #expect(search.status == .ok)
            #expect(search.header("RateLimit-Limit") == "60")
            // Another user of another tenant has a bucket of their own.
            let (other, _) = try await gateway.register()
            #expect(try await gateway.call(.post, "/v1/test/chat", json: [:], token: other).status == .ok)
        }
    }

    @Test("Redis stopped: requests are still served, and still limited, in-process")
    func redisDown() async throws {
        let redis = try RedisServerProcess()
        try await redis.start()
        defer { redis.kill() }
        try await GatewayHarness.run(redis: redis.endpoint) { gateway in
            let (token, _) = try await gateway.register()
            #expect(try await gateway.call(.post, "/v1/test/chat", json: [:], token: token).status == .ok)
            redis.kill()
            var statuses: [HTTPResponse.Status] = []
            for _ in 1...31 {
                statuses.append(try await gateway.call(.post, "/v1/test/chat", json: [:], token: token).status)
            }
            #expect(statuses.prefix(30).allSatisfy { $0 == .ok }, "\(statuses)")
            #expect(statuses.last == .tooManyRequests, "the fallback never lets a caller through unlimited")
        }
    }

    @Test("anonymous routes are limited per client address")
    func anonymous() async throws {
        try await GatewayHarness.run(overrides: ["CAIRN_GATEWAY_ANONYMOUS_PER_MINUTE": "3"]) { gateway in
            for _ in 1...3 {
                let reply = try await gateway.call(.get, "/v1/test/anonymous")
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(reply.header("RateLimit-Limit") == "3")
            }
            let refused = try await gateway.call(.get, "/v1/test/anonymous")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.header("Retry-After") != nil)
        }
    }
}
