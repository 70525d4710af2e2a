import CairnTesting
import Foundation
@testable import GatewayApp
import HTTPTypes
import Hummingbird
import ServiceKit
import Testing

extension GatewayTestSuite {
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
                // The in-process bucket starts full: 30 at once, then one per 2 s the loop took.
                let started = ContinuousClock.now
                var allowed = 0
                var refused = false
                while !refused, allowed < 45 {
                    let status = try await gateway.call(.post, "/v1/test/chat", json: [:], token: token).status
                    if status == .tooManyRequests { refused = true } else { #expect(status == .ok); allowed += 1 }
                }
                let refills = Int((ContinuousClock.now - started) / .seconds(2))
                #expect(refused, "the fallback never lets a caller through unlimited")
                #expect((30...30 + refills).contains(allowed), "allowed \(allowed) with \(refills) refills")
            }
        }

        @Test("anonymous routes are limited per client address")
        func anonymous() async throws {
            try await GatewayHarness.run(overrides: Self.behindOneProxy) { gateway in
                // Behind one trusted proxy: the client is the address that proxy appended (a fresh
                // /64 per run, so runs never share a bucket); what the client put first is ignored.
                let client = Self.freshClient()
                for number in 1...3 {
                    let reply = try await gateway.call(.get, "/v1/test/anonymous", headers: [.init("X-Forwarded-For")!: "10.9.9.\(number), \(client)"])
                    #expect(reply.status == .ok, "\(reply.text)")
                    #expect(reply.header("RateLimit-Limit") == "3")
                }
                let refused = try await gateway.call(.get, "/v1/test/anonymous", headers: [.init("X-Forwarded-For")!: "10.9.9.4, \(client)"])
                #expect(refused.status == .tooManyRequests)
                #expect(refused.header("Retry-After") != nil)
                let other = try await gateway.call(.get, "/v1/test/anonymous", headers: [.init("X-Forwarded-For")!: Self.freshClient()])
                #expect(other.status == .ok, "another client has its own bucket")
            }
        }

        static let behindOneProxy = ["CAIRN_GATEWAY_ANONYMOUS_PER_MINUTE": "3", "CAIRN_GATEWAY_TRUSTED_PROXY_HOPS": "1"]

        static func freshClient() -> String {
            "2001:db8:\(String(UInt16.random(in: 1...UInt16.max), radix: 16)):\(String(UInt16.random(in: 1...UInt16.max), radix: 16))::7"
        }

        @Test("failed authentication costs the client address: a flood of bad credentials turns into 429")
        func failedAuthentication() async throws {
            try await GatewayHarness.run(overrides: Self.behindOneProxy) { gateway in
                let client = Self.freshClient()
                var statuses: [HTTPResponse.Status] = []
                for number in 1...4 {
                    let key = "cairn_abcdefgh_" + String(repeating: "k", count: 30) + "\(number)"
                    statuses.append(try await gateway.call(.get, "/v1/auth/me", token: key, headers: [.init("X-Forwarded-For")!: client]).status)
                }
                #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests], "\(statuses)")
            }
        }

        @Test("client addresses as keys: IPv6 by its /64, IPv4-mapped as IPv4")
        func addressKeys() {
            #expect(ClientAddress.bucketKey("203.0.113.9") == "203.0.113.9")
            #expect(ClientAddress.bucketKey("::ffff:203.0.113.9") == "203.0.113.9")
            #expect(ClientAddress.bucketKey("2001:db8:1:2:aaaa::1") == ClientAddress.bucketKey("2001:db8:1:2:bbbb:cccc:dddd:eeee"))
            #expect(ClientAddress.bucketKey("2001:db8:1:2::1") != ClientAddress.bucketKey("2001:db8:1:3::1"))
        }
    }
}
