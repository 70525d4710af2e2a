import AsyncHTTPClient
import ServiceLifecycle

/// Keeps the gateway's upstream clients alive for the application's lifetime: the
/// `HTTPClient` and the proxy's connection pools, closed after graceful shutdown.
struct HTTPClientService: Service {
    let client: HTTPClient
    var pools: [UpstreamConnectionPool] = []

    func run() async throws {
        try? await gracefulShutdown()
        for pool in pools { pool.closeIdle() }
        try await client.shutdown()
    }
}
