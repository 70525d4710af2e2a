import AsyncHTTPClient
import ServiceLifecycle

/// Keeps an `HTTPClient` alive for the application's lifetime and shuts it down after.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
