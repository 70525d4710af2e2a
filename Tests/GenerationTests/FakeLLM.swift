import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A stand-in for paid LLM APIs that speaks their real streaming wire formats over a socket:
/// OpenAI's `POST /v1/chat/completions` (`data:` chunks in the recorded shape, usage chunk,
/// `data: [DONE]`, with OpenRouter-style `: keep-alive` comments) and Anthropic's
/// `POST /v1/messages` (`message_start`, `content_block_*`, `ping`, `message_delta`,
/// `message_stop`). Events are written in pieces split mid-line, to exercise the parser over
/// real chunking. Behaviour is scripted per request.
final class FakeLLM: Sendable {
    enum Step: Sendable {
        /// Answer with these deltas.
        case answer([String])
        /// Say nothing for this long (then answer normally).
        case stall(Duration)
        /// Answer an HTTP error with the provider's error body.
        case fail(Int)
        /// Send these deltas, then break off: OpenAI without `[DONE]`, Anthropic with an `error`
        /// event (`overloaded_error`) as its API does.
        case breakOff([String])
        /// Answer, with the finish reason saying the max-tokens limit cut it.
        case truncated([String])
    }

    struct Received: Sendable {
        var path: String
        var headers: [String: String]
        var body: [String: JSONValue]
    }

    let received = Mutex<[Received]>([])
    private let script = Mutex<[Step]>([])
    let defaultDeltas: [String]

    init(defaultDeltas: [String] = ["Hello", ", ", "world", "!"]) {
        self.defaultDeltas = defaultDeltas
    }

    func script(_ steps: [Step]) { script.withLock { $0 = steps } }
    var requestCount: Int { received.withLock { $0.count } }

    private func next() -> Step { script.withLock { $0.isEmpty ? .answer(defaultDeltas) : $0.removeFirst() } }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("/v1/chat/completions") { request, _ in try await self.serve(request, format: .openAI) }
        router.post("/v1/messages") { request, _ in try await self.serve(request, format: .anthropic) }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    enum Format { case openAI, anthropic }

    private func serve(_ request: Request, format: Format) async throws -> Response {
        let data = Data(buffer: try await request.body.collect(upTo: 1 << 22))
        let body = (try? JSONDecoder().decode([String: JSONValue].self, from: data)) ?? [:]
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        received.withLock { $0.append(Received(path: request.uri.path, headers: headers, body: body)) }
        var step = next()
        if case .stall(let duration) = step {
            try await Task.sleep(for: duration)
            step = .answer(defaultDeltas)
        }
        if case .fail(let status) = step {
            let error = format == .openAI
                ? #"{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}"#
                : #"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#
            return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: error)))
        }
        let events = format == .openAI ? Self.openAIEvents(step) : Self.anthropicEvents(step)
        return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
            for event in events {
                // Split each event in two writes, mid-line.
                let cut = event.index(event.startIndex, offsetBy: event.count / 2)
                try await writer.write(ByteBuffer(string: String(event[..<cut])))
                try await writer.write(ByteBuffer(string: String(event[cut...])))
            }
            try await writer.finish(nil)
        })
    }

    static let openAIPrefix = #"{"id":"chatcmpl-AXq1R7bEGt4s3VnUe9bYhZcF2pQ0a","object":"chat.completion.chunk","created":1732345678,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_0ba0d124f1","#

    static func openAIEvents(_ step: Step) -> [String] {
        let (deltas, finish, complete): ([String], String, Bool) = switch step {
        case .answer(let deltas): (deltas, "stop", true)
        case .truncated(let deltas): (deltas, "length", true)
        case .breakOff(let deltas): (deltas, "", false)
        default: ([], "stop", true)
        }
        var events = [": OPENROUTER PROCESSING\n\n"]
        events.append("data: " + openAIPrefix + #""choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}"# + "\n\n")
        for delta in deltas {
            events.append("data: " + openAIPrefix + #""choices":[{"index":0,"delta":{"content":\#(json(delta))},"logprobs":null,"finish_reason":null}],"usage":null}"# + "\n\n")
        }
        guard complete else { return events }
        events.append("data: " + openAIPrefix + #""choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"\#(finish)"}],"usage":null}"# + "\n\n")
        events.append("data: " + openAIPrefix + #""choices":[],"usage":{"prompt_tokens":42,"completion_tokens":\#(deltas.count),"total_tokens":\#(42 + deltas.count),"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}"# + "\n\n")
        events.append("data: [DONE]\n\n")
        return events
    }

    static func anthropicEvents(_ step: Step) -> [String] {
        let (deltas, stop, complete): ([String], String, Bool) = switch step {
        case .answer(let deltas): (deltas, "end_turn", true)
        case .truncated(let deltas): (deltas, "max_tokens", true)
        case .breakOff(let deltas): (deltas, "", false)
        default: ([], "end_turn", true)
        }
        var events = [
            "event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-3-5-haiku-20241022\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\r\n\r\n",
            "event: content_block_start\r\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\r\n\r\n",
            "event: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\n",
        ]
        for delta in deltas {
            events.append("event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\(json(delta))}}\r\n\r\n")
        }
        guard complete else {
            events.append("event: error\r\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\r\n\r\n")
            return events
        }
        events += [
            "event: content_block_stop\r\ndata: {\"type\":\"content_block_stop\",\"index\":0}\r\n\r\n",
            "event: message_delta\r\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"\(stop)\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":\(deltas.count)}}\r\n\r\n",
            "event: message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n",
        ]
        return events
    }

    static func json(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}

/// Enough of JSON to look at what the fake received.
enum JSONValue: Decodable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }
}
