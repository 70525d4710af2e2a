import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ServiceKit
import CairnTesting

@Suite struct MetricsTests {
    @Test func exposesRequestCounterByRouteTemplateAfterARequest() async throws {
        try await TestApp.build(logger: TestInfra.logger()).test(.router) { client in
            _ = try await client.execute(uri: "/things/123", method: .get)
            _ = try await client.execute(uri: "/things/456", method: .get)
            _ = try await client.execute(uri: "/forbidden", method: .get)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                let things = text.split(separator: "\n").first {
                    $0.hasPrefix("http_requests_total{") && $0.contains("route=\"/things/{id}\"") && $0.contains("status=\"200\"")
                }
                #expect(things?.hasSuffix(" 2") == true, "got: \(things ?? "nothing")")
                #expect(!text.contains("/things/123"), "raw paths must not become labels")
                #expect(text.contains("route=\"/forbidden\"") && text.contains("status=\"403\""))
                #expect(text.contains("http_request_duration_seconds_bucket{"))
                #expect(text.contains("process_resident_memory_bytes "))
                #expect(text.contains("process_open_fds "))
            }
        }
    }

    @Test func processMetricsHaveRealValues() throws {
        ProcessMetrics.shared.refresh()
        let text = String(decoding: CairnMetrics.registry.emitToBuffer(), as: UTF8.self)
        let rss = text.split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
        let value = rss.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        #expect(value > 1_000_000, "resident memory should be at least 1 MB, got \(value)")
    }
}
