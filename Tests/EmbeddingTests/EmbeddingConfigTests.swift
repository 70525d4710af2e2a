import CairnTesting
import Foundation
import ServiceKit
import Testing

@testable import EmbeddingApp

/// embedding's configuration: defaults, the providers' JSON, and every problem listed at once.
@Suite struct EmbeddingConfigTests {
    /// A folder that looks like the model's (the configuration only checks the files are there).
    static let modelDirectory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("embedding-config-\(TestInfra.uniqueSuffix())").path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in ["vocab.txt", "model.safetensors"] { _ = FileManager.default.createFile(atPath: directory + "/" + file, contents: Data()) }
        return directory
    }()

    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        TestInfra.serviceEnvironment(overrides: ["CAIRN_MODEL_DIR": modelDirectory].merging(extra) { $1 })
    }

    @Test func defaults() throws {
        let config = try EmbeddingConfig(environment: Self.environment())
        #expect(config.threads == 2)
        #expect(config.batching == BatchingSettings(window: .milliseconds(2), maxBatch: 32))
        #expect(config.limits == EmbeddingLimits(maxInputs: 256, maxInputCharacters: 16_384, maxRequestCharacters: 524_288))
        #expect(config.cacheTTL == .seconds(604_800))
        #expect(config.workerEnabled)
        #expect(config.chunksTopic == "cairn.chunks.created.v1")
        #expect(config.embeddedTopic == "cairn.chunks.embedded.v1")
        #expect(config.usageTopic == "cairn.usage.v1")
        #expect(config.providers.remotes.isEmpty && config.providers.collections.isEmpty)
        #expect(try EmbeddingConfig(environment: Self.environment(["CAIRN_EMBEDDING_CACHE_TTL_SECONDS": "0"])).cacheTTL == nil)
    }

    @Test func providersComeFromJSONWithTheirKeysFromTheirOwnVariables() throws {
        let json = """
            {"providers": {"openai": {"base_url": "https://api.example.com/v1/", "model": "text-embedding-3-small", "dimensions": 1536,
                                      "api_key_env": "TEST_EMBEDDING_KEY", "timeout_ms": 2000, "max_retries": 2, "max_batch": 64}},
             "collections": {"c-1": "openai", "c-2": "local"}}
            """
        let config = try EmbeddingConfig(environment: Self.environment(["CAIRN_EMBEDDING_PROVIDERS": json, "TEST_EMBEDDING_KEY": "sk-secret-value"]))
        let remote = try #require(config.providers.remotes.first)
        #expect(remote.name == "openai")
        #expect(remote.baseURL == "https://api.example.com/v1")
        #expect(remote.model == "text-embedding-3-small")
        #expect(remote.dimensions == 1536)
        #expect(remote.apiKey == "sk-secret-value")
        #expect(remote.timeout == .milliseconds(2000))
        #expect(remote.maxRetries == 2 && remote.maxBatch == 64)
        #expect(config.providers.collections == ["c-1": "openai", "c-2": "local"])
        #expect(!remote.description.contains("sk-secret"), "the key never reaches a log line")
    }

    @Test func everyProblemIsListedAtOnce() {
        let json = """
            {"providers": {"bad": {"base_url": "ftp://x", "model": "", "dimensions": 0, "api_key_env": "UNSET_KEY_VARIABLE"},
                           "local": {"base_url": "http://x", "model": "m", "dimensions": 3}},
             "collections": {"c-1": "nobody"}}
            """
        var environment = Self.environment(["CAIRN_EMBEDDING_PROVIDERS": json, "CAIRN_EMBEDDING_MAX_BATCH": "0", "CAIRN_EMBEDDING_THREADS": "many"])
        environment["CAIRN_MODEL_DIR"] = "/nonexistent/model"
        #expect {
            try EmbeddingConfig(environment: environment)
        } throws: { error in
            let problems = (error as? ConfigurationError)?.problems ?? []
            let text = problems.map { "\($0.key): \($0.reason)" }.joined(separator: "\n")
            return ["has no readable vocab.txt", "CAIRN_EMBEDDING_THREADS", "CAIRN_EMBEDDING_MAX_BATCH", "provider bad: base_url",
                    "provider bad: model", "provider bad: dimensions", "UNSET_KEY_VARIABLE, which is not set", "and not \"local\"",
                    "names unknown provider \"nobody\""].allSatisfy { text.contains($0) }
        }
        #expect(throws: ConfigurationError.self) {
            try EmbeddingConfig(environment: Self.environment(["CAIRN_EMBEDDING_PROVIDERS": "{not json"]))
        }
    }
}
