import AsyncHTTPClient
import Foundation
import NIOCore
import ServiceKit

/// The POST-and-read-SSE part the HTTP providers share: sends a JSON body, turns an HTTP error
/// into a ``ProviderFailure`` (the provider's error body goes to the log only), and yields the
/// events of the answer as they arrive. Cancelling the consumer cancels the request.
struct SSERequest: Sendable {
    /// Error bodies are read up to this much, for the log.
    static let maximumErrorBodyBytes = 16 * 1024

    let http: HTTPClient
    let provider: String

    func events(url: String, headers: [(String, String)], body: Data, timeout: Duration) -> AsyncThrowingStream<ServerSentEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<ServerSentEvent, any Error>.makeStream()
        let task = Task {
            do {
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "Accept", value: "text/event-stream")
                for (name, value) in headers { request.headers.add(name: name, value: value) }
                request.body = .bytes(ByteBuffer(bytes: body))
                let response: HTTPClientResponse
                do {
                    response = try await http.execute(request, timeout: TimeAmount(timeout))
                } catch {
                    throw ProviderFailure(.transport, provider: provider, detail: String(describing: error))
                }
                guard response.status.code < 300 else {
                    let text = (try? await response.body.collect(upTo: Self.maximumErrorBodyBytes)).map { String(buffer: $0) } ?? ""
                    throw ProviderFailure(.http, provider: provider, status: Int(response.status.code), detail: String(text.prefix(500)))
                }
                var parser = SSEParser()
                do {
                    for try await chunk in response.body {
                        for event in try parser.feed(chunk.readableBytesView) { continuation.yield(event) }
                    }
                } catch is SSEParser.LineTooLong {
                    throw ProviderFailure(.protocolError, provider: provider, detail: "SSE line over \(SSEParser.maximumLineBytes) bytes")
                } catch let failure as ProviderFailure {
                    throw failure
                } catch {
                    if Task.isCancelled { throw CancellationError() }
                    throw ProviderFailure(.transport, provider: provider, detail: "stream broke: \(String(describing: error))")
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// Decodes one event's JSON, or fails as a protocol error of `provider`.
func decodeEvent<T: Decodable>(_ type: T.Type, _ data: String, provider: String) throws -> T {
    do {
        return try JSONDecoder().decode(T.self, from: Data(data.utf8))
    } catch {
        throw ProviderFailure(.protocolError, provider: provider, detail: "undecodable event: \(data.prefix(200))")
    }
}
