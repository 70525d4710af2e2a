import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A paid LLM API stand-in that answers OpenAI's streaming chat completions slowly (a chunk every
/// 50 ms, for up to 30 s) and records when its client closed the stream: what a client that
/// cancels upstream looks like from the provider's side.
final class SlowLLM: Sendable {
    let streamsClosedEarly = Mutex(0)
    let streamsStarted = Mutex(0)
    /// After this many chunks the provider fails: its connection drops mid-answer.
    let breakAfter: Int?

    struct Broken: Error {}

    init(breakAfter: Int? = nil) {
        self.breakAfter = breakAfter
    }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 22)
            self.streamsStarted.withLock { $0 += 1 }
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                do {
                    for index in 0..<600 {
                        if let breakAfter = self.breakAfter, index == breakAfter { throw Broken() }
                        let chunk = #"{"id":"chatcmpl-slow","object":"chat.completion.chunk","created":0,"model":"slow","choices":[{"index":0,"delta":{"content":"word\#(index) "},"finish_reason":null}]}"#
                        try await writer.write(ByteBuffer(string: "data: \(chunk)\n\n"))
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                    try await writer.finish(nil)
                } catch {
                    self.streamsClosedEarly.withLock { $0 += 1 }
                    throw error
                }
            })
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// generation's providers and models for this upstream on `port`, as its default alias.
    static func generationEnvironment(port: Int) -> [String: String] {
        [
            "CAIRN_GENERATION_PROVIDERS": #"[{"name":"slow","type":"openai-compatible","base_url":"http://127.0.0.1:\#(port)/v1"}]"#,
            "CAIRN_GENERATION_MODELS": #"[{"id":"slow-model","provider":"slow","context_window":16384,"max_output_tokens":1024}]"#,
            "CAIRN_GENERATION_ALIASES": #"{"default":["slow-model"]}"#,
            "CAIRN_GENERATION_ATTEMPTS_PER_MODEL": "1",
            "CAIRN_GENERATION_CACHE_TTL_SECONDS": "0",
        ]
    }
}
