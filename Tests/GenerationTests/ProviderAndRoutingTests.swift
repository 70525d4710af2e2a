import AsyncHTTPClient
import CairnTesting
@testable import GenerationApp
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The HTTP providers and the router against ``FakeLLM`` over real sockets.
@Suite struct ProviderAndRoutingTests {
    static let logger = TestInfra.logger(level: .critical)

    /// Runs `body` with a fake LLM listening on a port of its own.
    static func withFake(_ fake: FakeLLM = FakeLLM(), _ body: @Sendable (FakeLLM, Int) async throws -> Void) async throws {
        try await fake.application().test(.live) { client in
            try await body(fake, try #require(client.port))
        }
    }

    static func openAI(_ port: Int, name: String = "openai") -> OpenAICompatibleProvider {
        OpenAICompatibleProvider(
            settings: ProviderSettings(name: name, kind: .openAICompatible, baseURL: "http://127.0.0.1:\(port)/v1", apiKey: "sk-test", organization: "org-cairn"),
            http: .shared
        )
    }

    static func anthropic(_ port: Int, name: String = "anthropic") -> AnthropicProvider {
        AnthropicProvider(settings: ProviderSettings(name: name, kind: .anthropic, baseURL: "http://127.0.0.1:\(port)", apiKey: "sk-ant-test"), http: .shared)
    }

    static let request = ProviderRequest(upstreamModel: "m", messages: [ChatMessage(.system, "rules"), ChatMessage(.user, "Hi?")], maxTokens: 64, stop: ["END"])

    static func collect(_ stream: AsyncThrowingStream<GenerationEvent, any Error>) async -> (events: [GenerationEvent], error: (any Error)?) {
        var events: [GenerationEvent] = []
        do {
            for try await event in stream { events.append(event) }
            return (events, nil)
        } catch {
            return (events, error)
        }
    }

    @Test func openAIDeltasArriveInOrderWithUsageAndHeaders() async throws {
        try await Self.withFake { fake, port in
            let (events, error) = await Self.collect(Self.openAI(port).stream(Self.request))
            #expect(error == nil)
            #expect(events == [.delta("Hello"), .delta(", "), .delta("world"), .delta("!"), .finish(.stop), .usage(TokenUsage(promptTokens: 42, completionTokens: 4))])
            let received = try #require(fake.received.withLock { $0.first })
            #expect(received.path == "/v1/chat/completions")
            #expect(received.headers["authorization"] == "Bearer sk-test")
            #expect(received.headers["openai-organization"] == "org-cairn")
            #expect(received.body["stream"] == .bool(true))
            #expect(received.body["stop"] == .array([.string("END")]))
        }
    }

    @Test func anthropicDeltasArriveInOrderWithUsageAndHeaders() async throws {
        try await Self.withFake { fake, port in
            fake.script([.truncated(["A", "B"])])
            let (events, error) = await Self.collect(Self.anthropic(port).stream(Self.request))
            #expect(error == nil)
            #expect(events == [.delta("A"), .delta("B"), .finish(.length), .usage(TokenUsage(promptTokens: 25, completionTokens: 2))])
            let received = try #require(fake.received.withLock { $0.first })
            #expect(received.path == "/v1/messages")
            #expect(received.headers["x-api-key"] == "sk-ant-test")
            #expect(received.headers["anthropic-version"] == AnthropicProvider.apiVersion)
            #expect(received.body["system"] == .string("rules"))
            #expect(received.body["stop_sequences"] == .array([.string("END")]))
        }
    }

    @Test func brokenStreamsAndHTTPErrorsAreFailuresNotShortAnswers() async throws {
        try await Self.withFake { fake, port in
            fake.script([.breakOff(["par", "tial"]), .breakOff(["x"]), .fail(500)])
            let openAI = await Self.collect(Self.openAI(port).stream(Self.request))
            #expect(openAI.events == [.delta("par"), .delta("tial")])
            #expect((openAI.error as? ProviderFailure)?.kind == .protocolError)
            let anthropic = await Self.collect(Self.anthropic(port).stream(Self.request))
            #expect(anthropic.events == [.delta("x")])
            #expect((anthropic.error as? ProviderFailure)?.detail.contains("overloaded_error") == true)
            let http = await Self.collect(Self.openAI(port).stream(Self.request))
            #expect(http.events.isEmpty)
            #expect((http.error as? ProviderFailure).map { ($0.kind, $0.status) } ?? (.transport, nil) == (.http, 500))
        }
    }

    // MARK: Routing

    static func router(_ providers: [any GenerationProvider], chain: [String], policy: RoutingPolicy) -> ModelRouter {
        let models = [
            ModelEntry(id: "primary", provider: "openai", contextWindow: 8_192, maxOutputTokens: 512),
            ModelEntry(id: "secondary", provider: "anthropic", contextWindow: 8_192, maxOutputTokens: 512),
        ]
        return ModelRouter(catalog: ModelCatalog(models: models, aliases: ["default": chain], defaultModel: "default"), providers: providers,
                           policy: policy, logger: logger)
    }

    static let policy = RoutingPolicy(
        firstTokenTimeout: .seconds(30), totalTimeout: .seconds(60), attemptsPerModel: 1, breakerFailures: 2, breakerOpenFor: .seconds(2)
    )

    static func route(_ router: ModelRouter) async -> (events: [RoutedEvent], error: (any Error)?) {
        var events: [RoutedEvent] = []
        do {
            for try await event in router.stream(chain: router.catalog.chain(for: nil)!, logger: logger, request: { _ in Self.request }) {
                events.append(event)
            }
            return (events, nil)
        } catch {
            return (events, error)
        }
    }

    static func text(_ events: [RoutedEvent]) -> String {
        events.map { if case .event(.delta(let text)) = $0 { text } else { "" } }.joined()
    }

    @Test func aProviderStallingBeforeTheFirstTokenFailsOver() async throws {
        try await Self.withFake { primary, primaryPort in
            try await Self.withFake(FakeLLM(defaultDeltas: ["from ", "anthropic"])) { _, secondaryPort in
                // Generous margins: the machine is shared; the stalled request keeps the fake busy (and its shutdown waiting) for 40 s.
                primary.script([.stall(.seconds(40))])
                var policy = Self.policy
                policy.firstTokenTimeout = .seconds(6)
                let router = Self.router([Self.openAI(primaryPort), Self.anthropic(secondaryPort)], chain: ["primary", "secondary"], policy: policy)
                let started = ContinuousClock.now
                let (events, error) = await Self.route(router)
                #expect(error == nil)
                // Far below the 40 s stall, with room for a loaded machine.
                #expect(ContinuousClock.now - started < .seconds(25), "failover waited for the stalled provider")
                #expect(events.first == .started(router.catalog.models["secondary"]!))
                #expect(Self.text(events) == "from anthropic")
                #expect(router.breaker("openai")?.current == .closed(failures: 1))
            }
        }
    }

    @Test func retriesHappenOnlyBeforeTheFirstToken() async throws {
        try await Self.withFake { fake, port in
            fake.script([.fail(503), .answer(["ok"])])
            var policy = Self.policy
            policy.attemptsPerModel = 2
            let router = Self.router([Self.openAI(port)], chain: ["primary"], policy: policy)
            let (events, error) = await Self.route(router)
            #expect(error == nil)
            #expect(Self.text(events) == "ok")
            #expect(fake.requestCount == 2)

            // After the first token, a failure is final: no second request, an error event, finish(.error).
            fake.script([.breakOff(["half"])])
            let broken = await Self.route(router)
            #expect(broken.error == nil)
            #expect(fake.requestCount == 3)
            #expect(Self.text(broken.events) == "half")
            let tail: [GenerationEvent?] = broken.events.suffix(2).map { if case .event(let event) = $0 { event } else { nil } }
            #expect(tail == [.error(ProviderFailure(.protocolError, provider: "openai", detail: "stream ended without [DONE]")), .finish(.error)])
        }
    }

    @Test func aFailureMidStreamEndsWithAnErrorEventEvenWithAFallbackLeft() async throws {
        try await Self.withFake { primary, primaryPort in
            try await Self.withFake { secondary, secondaryPort in
                primary.script([.breakOff(["The answer is"])])
                let router = Self.router([Self.openAI(primaryPort), Self.anthropic(secondaryPort)], chain: ["primary", "secondary"], policy: Self.policy)
                let (events, error) = await Self.route(router)
                #expect(error == nil)
                #expect(Self.text(events) == "The answer is")
                guard case .event(.error(let failure)) = events.dropLast().last else {
                    Issue.record("no error event before the end: \(events)")
                    return
                }
                #expect(failure.provider == "openai")
                #expect(events.last == .event(.finish(.error)))
                #expect(secondary.requestCount == 0, "a started answer must not be silently replaced by another model's")
            }
        }
    }

    @Test func theBreakerOpensAfterConsecutiveFailuresAndRecoversThroughAProbe() async throws {
        try await Self.withFake { fake, port in
            fake.script([.fail(500), .fail(500)])
            let router = Self.router([Self.openAI(port)], chain: ["primary"], policy: Self.policy)
            for _ in 0..<2 {
                let (_, error) = await Self.route(router)
                #expect(error is NoModelAvailable)
            }
            guard case .open = router.breaker("openai")?.current else {
                Issue.record("breaker not open: \(String(describing: router.breaker("openai")?.current))")
                return
            }
            // Open: refused without a request.
            let refused = await Self.route(router)
            #expect((refused.error as? NoModelAvailable)?.failures.map(\.kind) == [.circuitOpen])
            #expect(fake.requestCount == 2)

            // After the open period one probe goes through; its success closes the breaker.
            try await Task.sleep(for: .milliseconds(2_100))
            let probe = await Self.route(router)
            #expect(probe.error == nil)
            #expect(Self.text(probe.events) == "Hello, world!")
            #expect(fake.requestCount == 3)
            #expect(router.breaker("openai")?.current == .closed(failures: 0))
        }
    }

    @Test func aFailedProbeReopensTheBreaker() {
        let breaker = CircuitBreaker(provider: "p", failureThreshold: 1, openFor: .seconds(10))
        let start = ContinuousClock.now
        #expect(breaker.acquire(now: start))
        breaker.recordFailure(now: start)
        #expect(!breaker.acquire(now: start + .seconds(9)))
        #expect(breaker.acquire(now: start + .seconds(10)))  // the probe
        #expect(!breaker.acquire(now: start + .seconds(10)))  // only one
        breaker.recordFailure(now: start + .seconds(11))
        #expect(breaker.current == .open(until: start + .seconds(21)))
    }
}
