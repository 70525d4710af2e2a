import Foundation
import ServiceKit

/// The remote embedding providers and which collections use them, from one JSON value
/// (`CAIRN_EMBEDDING_PROVIDERS`):
///
/// ```json
/// {"providers": {"openai": {"base_url": "https://api.openai.com/v1", "model": "text-embedding-3-small",
///                           "dimensions": 1536, "api_key_env": "CAIRN_EMBEDDING_OPENAI_KEY"}},
///  "collections": {"<collection id>": "openai"}}
/// ```
///
/// The JSON holds no secret: `api_key_env` names the variable that holds the key, so the JSON
/// can live in a ConfigMap and the key in a Secret. Collections not listed, and chunks without
/// a collection, use the local model (`local`).
public struct ProviderSettings: Sendable {
    /// The provider name of the built-in model.
    public static let localName = "local"

    public var remotes: [RemoteProviderSettings]
    /// Collection id → provider name (`local` or a key of `remotes`).
    public var collections: [String: String]

    public init(remotes: [RemoteProviderSettings] = [], collections: [String: String] = [:]) {
        self.remotes = remotes
        self.collections = collections
    }

    private struct File: Decodable {
        var providers: [String: Provider]?
        var collections: [String: String]?
    }

    private struct Provider: Decodable {
        var baseURL: String
        var model: String
        var dimensions: Int
        var apiKeyEnv: String?
        var sendDimensions: Bool?
        var timeoutMs: Int?
        var maxRetries: Int?
        var maxBatch: Int?

        enum CodingKeys: String, CodingKey {
            case model, dimensions
            case baseURL = "base_url"
            case apiKeyEnv = "api_key_env"
            case sendDimensions = "send_dimensions"
            case timeoutMs = "timeout_ms"
            case maxRetries = "max_retries"
            case maxBatch = "max_batch"
        }
    }

    /// Reads and checks `key`; every problem is reported on `reader`.
    init(reader: inout ConfigReader, key: String) {
        self.init()
        guard let raw = reader.optionalString(key) else { return }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(raw.utf8))
        } catch {
            reader.report(key, "not valid JSON of the documented shape ({\"providers\": {...}, \"collections\": {...}}): \(Self.describe(error))")
            return
        }
        for (name, provider) in (file.providers ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard Self.isValidName(name), name != Self.localName else {
                reader.report(key, "provider name \"\(name.prefix(40))\": 1-40 of a-z 0-9 _ -, and not \"local\"")
                continue
            }
            if let remote = Self.remote(name, provider, reader: &reader, key: key) { remotes.append(remote) }
        }
        let names = Set(remotes.map(\.name)).union([Self.localName])
        for (collection, provider) in file.collections ?? [:] {
            if names.contains(provider) {
                collections[collection] = provider
            } else {
                reader.report(key, "collection \(collection.prefix(64)) names unknown provider \"\(provider.prefix(40))\"")
            }
        }
    }

    private static func remote(_ name: String, _ provider: Provider, reader: inout ConfigReader, key: String) -> RemoteProviderSettings? {
        var problems: [String] = []
        let baseURL = provider.baseURL.hasSuffix("/") ? String(provider.baseURL.dropLast()) : provider.baseURL
        if let url = URL(string: baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil {} else {
            problems.append("base_url must be an http(s) URL")
        }
        if provider.model.isEmpty || provider.model.count > 200 { problems.append("model must be 1-200 characters") }
        if !(1...16_384).contains(provider.dimensions) { problems.append("dimensions must be 1-16384") }
        var apiKey: String?
        if let variable = provider.apiKeyEnv {
            apiKey = reader.optionalString(variable)
            if apiKey == nil { problems.append("api_key_env names \(variable.prefix(80)), which is not set") }
        }
        let timeout = provider.timeoutMs ?? 10_000
        if !(100...300_000).contains(timeout) { problems.append("timeout_ms must be 100-300000") }
        let retries = provider.maxRetries ?? 3
        if !(0...10).contains(retries) { problems.append("max_retries must be 0-10") }
        let batch = provider.maxBatch ?? 128
        if !(1...2_048).contains(batch) { problems.append("max_batch must be 1-2048") }
        guard problems.isEmpty else {
            for problem in problems { reader.report(key, "provider \(name): \(problem)") }
            return nil
        }
        return RemoteProviderSettings(
            name: name, baseURL: baseURL, model: provider.model, dimensions: provider.dimensions, apiKey: apiKey,
            sendDimensions: provider.sendDimensions ?? false, timeout: .milliseconds(timeout), maxRetries: retries, maxBatch: batch
        )
    }

    private static func isValidName(_ name: String) -> Bool {
        (1...40).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// A decoding error in a line, without the value (which may be anything).
    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default:
            "malformed JSON"
        }
    }
}

/// One OpenAI-compatible embeddings endpoint (`POST {base_url}/embeddings`).
public struct RemoteProviderSettings: Sendable, CustomStringConvertible {
    /// The provider's name in the configuration; also accepted as a `model` in the API.
    public var name: String
    /// Without a trailing slash; `/embeddings` is appended.
    public var baseURL: String
    public var model: String
    /// Length of the vectors the provider returns (checked on every answer).
    public var dimensions: Int
    /// Sent as `Authorization: Bearer`; a secret, never logged (not in ``description``).
    public var apiKey: String?
    /// Whether to send `dimensions` in the request (models that shorten their vectors on demand).
    public var sendDimensions: Bool
    /// Bounds one HTTP attempt, connect included.
    public var timeout: Duration
    /// Retries after the first attempt, on 429, 5xx and connection errors only.
    public var maxRetries: Int
    /// Most inputs per request to the provider; larger calls are split.
    public var maxBatch: Int

    public init(
        name: String, baseURL: String, model: String, dimensions: Int, apiKey: String? = nil, sendDimensions: Bool = false,
        timeout: Duration = .seconds(10), maxRetries: Int = 3, maxBatch: Int = 128
    ) {
        self.name = name
        self.baseURL = baseURL
        self.model = model
        self.dimensions = dimensions
        self.apiKey = apiKey
        self.sendDimensions = sendDimensions
        self.timeout = timeout
        self.maxRetries = maxRetries
        self.maxBatch = maxBatch
    }

    /// Never includes the key.
    public var description: String {
        "\(name): \(model) (\(dimensions)) at \(baseURL)\(apiKey == nil ? "" : ", key set")"
    }
}
