import CairnTesting
@testable import GenerationApp
import ServiceKit
import Testing

@Suite struct GenerationConfigTests {
    @Test func defaultsServeTheExtractiveGenerator() throws {
        let config = try GenerationConfig(environment: TestInfra.serviceEnvironment())
        #expect(config.catalog.chain(for: nil)?.map(\.id) == ["cairn-extractive-1"])
        #expect(config.routing.firstTokenTimeout == .seconds(15) && config.routing.attemptsPerModel == 2)
        #expect(config.cacheTTL == .seconds(3_600))
    }

    @Test func everyProblemOfTheTablesIsListed() {
        let environment = TestInfra.serviceEnvironment(overrides: [
            "CAIRN_GENERATION_PROVIDERS": #"[{"name":"openai","type":"openai-compatible","base_url":"http://x/v1","api_key_env":"MISSING_KEY"}]"#,
            "CAIRN_GENERATION_MODELS": #"[{"id":"a","provider":"nobody","context_window":100}]"#,
            "CAIRN_GENERATION_ALIASES": #"{"default":["a","ghost"]}"#,
            "CAIRN_GENERATION_FIRST_TOKEN_TIMEOUT_MS": "0",
        ])
        #expect {
            try GenerationConfig(environment: environment)
        } throws: { error in
            let reasons = (error as? ConfigurationError)?.problems.map { "\($0.key): \($0.reason)" } ?? []
            return reasons.contains { $0.contains("MISSING_KEY") } && reasons.contains { $0.contains("unknown provider nobody") }
                && reasons.contains { $0.contains("unknown model ghost") } && reasons.contains { $0.contains("context_window must be at least 256") }
                && reasons.contains { $0.hasPrefix("CAIRN_GENERATION_FIRST_TOKEN_TIMEOUT_MS") }
        }
        #expect(throws: ConfigurationError.self) { try GenerationConfig(environment: TestInfra.serviceEnvironment(overrides: ["CAIRN_GENERATION_MODELS": "{"])) }
    }
}
