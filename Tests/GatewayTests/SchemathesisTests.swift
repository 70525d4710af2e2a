import CairnTesting
import Foundation
import Testing

extension GatewayTestSuite {
    /// Property-based requests generated from the OpenAPI document by schemathesis, sent to the
    /// gateway in front of the real auth service: no 5xx, and every answer as the document says.
    @Suite("Gateway: schemathesis against the document", .serialized)
    struct SchemathesisTests {
        static let checks = [
            "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
            "response_schema_conformance",
        ]

        /// Operations of services this harness does not start (only auth and billing run behind
        /// the gateway here): their upstreams are closed ports, so every answer would be a 503.
        static let servicesNotRunning = "^/v1/(collections|documents|search|embeddings|models|chat/completions|assistants|conversations|chat|messages|feedback|admin/conversations)"
        /// Those, and the tenant's own subscription: cancelled, the tenant would be back on the
        /// free plan's limits. One pattern: schemathesis keeps only the last of several.
        static let excluded = "(\(servicesNotRunning))|(^/v1/tenants/\\{tenant_id\\}/subscription$)"

        @Test("at least 1,000 generated requests, zero 5xx, zero answers that break the document")
        func fuzz() async throws {
            try await GatewayHarness.run(overrides: [
                "CAIRN_GATEWAY_PLAN_CACHE_SECONDS": "1", "CAIRN_GATEWAY_ANONYMOUS_PER_MINUTE": "100000",
            ], billing: BillingUpstream()) { gateway in
                // The fuzzing tenant is on enterprise (3,000 requests a minute), so the run exercises
                // the operations rather than the rate limiter.
                let (token, tenant) = try await gateway.register()
                let plan = try await gateway.call(.post, "/v1/tenants/\(tenant)/subscription", json: ["plan": "enterprise"], token: token)
                try #require(plan.status == .created, "\(plan.text)")
                let applied = await eventually(within: .seconds(10), every: .milliseconds(300)) {
                    (try? await gateway.call(.get, "/v1/auth/me", token: token).header("RateLimit-Limit")) == "3000"
                }
                try #require(applied)
                let report = FileManager.default.temporaryDirectory.appendingPathComponent("schemathesis-\(TestInfra.uniqueSuffix()).ndjson")
                defer { try? FileManager.default.removeItem(at: report) }
                // Credentials per security scheme: with a plain `--header Authorization` schemathesis
                // also generates an X-API-Key (the other scheme), which the gateway refuses beside it.
                let config = FileManager.default.temporaryDirectory.appendingPathComponent("schemathesis-\(TestInfra.uniqueSuffix()).toml")
                try "[auth.openapi.bearerAuth]\nbearer = \"\(token)\"\n".write(to: config, atomically: true, encoding: .utf8)
                defer { try? FileManager.default.removeItem(at: config) }
                let st = URL(fileURLWithPath: (TestInfra.environment["CAIRN_VENV"] ?? ".deps/venv") + "/bin/st")
                let (status, text) = try await runProcess(st, [
                    "--config-file", config.path, "run", "http://127.0.0.1:\(gateway.gatewayPort)/openapi.json",
                    "--checks", Self.checks.joined(separator: ","), "--max-examples", "30", "--seed", "20261123", "--workers", "1",
                    "--generation-database", "none", "--no-color", "--report", "ndjson", "--report-ndjson-path", report.path,
                    "--request-timeout", "20", "--suppress-health-check", "all", "--exclude-path-regex", Self.excluded,
                ])
                #expect(status == 0, "schemathesis found problems:\n\(text.suffix(6_000))")
                let requests = try Self.requestCount(report)
                print("schemathesis: \(requests) requests, exit status \(status)")
                #expect(requests >= 1_000, "only \(requests) requests were generated:\n\(text.suffix(2_000))")
            }
        }

        /// Requests sent, counted from the NDJSON event log (one `ScenarioFinished` per test case
        /// with the interactions it made).
        static func requestCount(_ report: URL) throws -> Int {
            let lines = try String(contentsOf: report, encoding: .utf8).split(separator: "\n")
            var count = 0
            for line in lines {
                guard let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
                count += Self.interactions(in: event)
            }
            return count
        }

        private static func interactions(in value: Any) -> Int {
            if let object = value as? [String: Any] {
                if let interactions = object["interactions"] as? [String: Any] { return interactions.count }
                if let interactions = object["interactions"] as? [Any] { return interactions.count }
                return object.values.reduce(0) { $0 + interactions(in: $1) }
            }
            if let array = value as? [Any] { return array.reduce(0) { $0 + interactions(in: $1) } }
            return 0
        }
    }
}
