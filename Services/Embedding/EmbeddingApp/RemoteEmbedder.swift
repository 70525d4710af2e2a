import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// An OpenAI-compatible embeddings endpoint: `POST {base_url}/embeddings` with
/// `{model, input: [texts], encoding_format: "float"}` (and `dimensions` where configured).
///
/// - Calls larger than the provider's `max_batch` are split; each part is one request.
/// - Each attempt is bounded by the provider's timeout. Retried with exponential backoff and
///   jitter (a `Retry-After` of up to 10 s is honoured): 429, 5xx, and transport failures
///   (refused, reset, closed before the answer). Not retried: a timed-out attempt (it used its
///   whole budget) and any other status. The key is sent as `Authorization: Bearer` and never
///   logged.
/// - Every vector must have the configured length; vectors are L2-normalised on arrival, so
///   every vector Cairn stores is unit length whatever the provider.
/// - The provider reports one token total per request; it is shared out over the inputs in
///   proportion to their length (a provider that reports none is estimated at 4 characters a
///   token).
struct RemoteEmbedder: Embedder {
    let settings: RemoteProviderSettings
    let http: HTTPClient
    let logger: Logger
    let info: EmbeddingModelInfo

    init(settings: RemoteProviderSettings, http: HTTPClient, logger: Logger) {
        self.settings = settings
        self.http = http
        self.logger = logger
        info = EmbeddingModelInfo(id: settings.model, aliases: [settings.name], provider: settings.name, dimensions: settings.dimensions, maxTokens: nil)
    }

    func embed(_ texts: [String], priority: EmbeddingPriority) async throws -> Embeddings {
        var result = Embeddings(vectors: [], tokenCounts: [])
        for start in stride(from: 0, to: texts.count, by: settings.maxBatch) {
            let part = try await embedWithRetries(Array(texts[start..<min(texts.count, start + settings.maxBatch)]))
            result.vectors += part.vectors
            result.tokenCounts += part.tokenCounts
        }
        return result
    }

    private enum Attempt {
        case done(Embeddings)
        case retry(reason: String, after: Duration?)
    }

    private func embedWithRetries(_ texts: [String]) async throws -> Embeddings {
        var retries = 0
        while true {
            let attempt: Attempt
            do {
                attempt = try await self.attempt(texts)
            } catch let error as EmbeddingError {
                throw error
            } catch {
                if Task.isCancelled { throw CancellationError() }
                if let error = error as? HTTPClientError, error == .deadlineExceeded {
                    logger.warning("embedding provider timed out", metadata: ["provider": "\(settings.name)", "timeout": "\(settings.timeout)"])
                    throw EmbeddingError.providerUnavailable(provider: settings.name)
                }
                attempt = .retry(reason: "\(error)", after: nil)
            }
            switch attempt {
            case .done(let embeddings):
                return embeddings
            case .retry(let reason, let after):
                guard retries < settings.maxRetries else {
                    logger.warning("embedding provider failed; retries exhausted", metadata: [
                        "provider": "\(settings.name)", "reason": "\(reason)", "attempts": "\(retries + 1)",
                    ])
                    throw EmbeddingError.providerUnavailable(provider: settings.name)
                }
                retries += 1
                let wait = after ?? Self.backoff(retry: retries)
                logger.info("embedding provider failed; retrying", metadata: [
                    "provider": "\(settings.name)", "reason": "\(reason)", "retry": "\(retries)", "wait": "\(wait)",
                ])
                try await Task.sleep(for: wait)
            }
        }
    }

    /// 250 ms, 500 ms, 1 s, ... up to 4 s, each somewhere between half and all of that.
    static func backoff(retry: Int) -> Duration {
        let ceiling = min(4_000, 250 << min(retry - 1, 8))
        return .milliseconds(Int.random(in: (ceiling / 2)...ceiling))
    }

    private struct Body: Encodable {
        var model: String
        var input: [String]
        var encodingFormat = "float"
        var dimensions: Int?

        enum CodingKeys: String, CodingKey {
            case model, input, dimensions
            case encodingFormat = "encoding_format"
        }
    }

    private struct Answer: Decodable {
        struct Item: Decodable {
            var index: Int?
            var embedding: [Float]
        }

        struct Usage: Decodable {
            var promptTokens: Int?
            var totalTokens: Int?

            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case totalTokens = "total_tokens"
            }
        }

        var data: [Item]
        var usage: Usage?
    }

    private func attempt(_ texts: [String]) async throws -> Attempt {
        var request = HTTPClientRequest(url: settings.baseURL + "/embeddings")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let key = settings.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let body = Body(model: settings.model, input: texts, dimensions: settings.sendDimensions ? settings.dimensions : nil)
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response = try await http.execute(request, timeout: TimeAmount(settings.timeout))
        let limit = (1 << 20) + texts.count * settings.dimensions * 32
        let answer = try await response.body.collect(upTo: limit)
        let status = Int(response.status.code)
        switch status {
        case 200:
            return .done(try decode(answer, texts: texts))
        case 429, 500...599:
            let after = response.headers.first(name: "Retry-After").flatMap(Int.init).map { Duration.seconds(min(10, max(0, $0))) }
            return .retry(reason: "HTTP \(status)", after: after)
        default:
            logger.warning("embedding provider refused the request", metadata: [
                "provider": "\(settings.name)", "status": "\(status)", "answer": "\(String(buffer: answer).prefix(300))",
            ])
            throw EmbeddingError.providerRejected(provider: settings.name, status: status)
        }
    }

    private func decode(_ buffer: ByteBuffer, texts: [String]) throws -> Embeddings {
        guard let answer = try? JSONDecoder().decode(Answer.self, from: buffer) else { throw invalidAnswer("not an embeddings list") }
        guard answer.data.count == texts.count else { throw invalidAnswer("\(answer.data.count) vectors for \(texts.count) inputs") }
        var vectors = [[Float]?](repeating: nil, count: texts.count)
        for (position, item) in answer.data.enumerated() {
            let index = item.index ?? position
            guard vectors.indices.contains(index), vectors[index] == nil else { throw invalidAnswer("index \(index) out of place") }
            guard item.embedding.count == settings.dimensions else {
                throw invalidAnswer("a vector of \(item.embedding.count) values, expected \(settings.dimensions)")
            }
            guard item.embedding.allSatisfy(\.isFinite) else { throw invalidAnswer("a vector with a non-finite value") }
            vectors[index] = VectorCoding.normalized(item.embedding)
        }
        let lengths = texts.map { max(1, $0.unicodeScalars.count) }
        let total = answer.usage?.promptTokens ?? answer.usage?.totalTokens ?? lengths.reduce(0, +) / 4
        return Embeddings(vectors: vectors.map { $0! }, tokenCounts: Self.share(total, by: lengths))
    }

    private func invalidAnswer(_ reason: String) -> EmbeddingError {
        logger.warning("embedding provider answered nonsense", metadata: ["provider": "\(settings.name)", "reason": "\(reason)"])
        return .providerRejected(provider: settings.name, status: 200)
    }

    /// `total` split in proportion to `weights`, in whole numbers that add up to `total`.
    static func share(_ total: Int, by weights: [Int]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0, total > 0 else { return weights.map { _ in 0 } }
        var shares = weights.map { total * $0 / sum }
        var left = total - shares.reduce(0, +)
        var index = 0
        while left > 0 {
            shares[index % shares.count] += 1
            left -= 1
            index += 1
        }
        return shares
    }
}

/// The remote providers and the one HTTP client they share. A `Service`, so the client is shut
/// down with the application. The client fails a request as soon as its connection cannot be
/// made (no silent reconnect loop inside it): ``RemoteEmbedder`` decides about retries.
final class RemoteProviders: Service, Sendable {
    let embedders: [RemoteEmbedder]
    private let client: HTTPClient?

    init(settings: [RemoteProviderSettings], logger: Logger) {
        guard !settings.isEmpty else {
            embedders = []
            client = nil
            return
        }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(2)),
            connectionPool: .init(idleTimeout: .seconds(30))
        )
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.tracing.tracer = nil
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.client = client
        embedders = settings.map { RemoteEmbedder(settings: $0, http: client, logger: logger) }
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    /// Shuts the client down (once; ``run()`` does it at graceful shutdown).
    func shutdown() async throws {
        try await client?.shutdown()
    }
}
