import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A stand-in for a paid embeddings API that speaks OpenAI's wire protocol over a real socket:
/// `POST /v1/embeddings` with `{model, input, encoding_format, dimensions?}` answers
/// `{"object":"list","data":[{"object":"embedding","index":i,"embedding":[...]}],"model":...,"usage":{...}}`.
/// Each text's vector is made from the text (so tests can tell them apart) and deliberately
/// not unit length; each text counts one token per word. Failures can be scripted.
final class FakeOpenAI: Sendable {
    enum Step: Sendable {
        /// Answer this status with an OpenAI-style error body.
        case fail(Int)
        /// Wait this long, then answer normally.
        case delay(Duration)
        /// Answer vectors one value too long.
        case wrongLength
    }

    struct Received: Sendable {
        var authorization: String?
        var model: String
        var inputs: [String]
        var dimensions: Int?
    }

    let dimensions: Int
    let received = Seen<Received>()
    private let script = Mutex<[Step]>([])

    init(dimensions: Int = 8) {
        self.dimensions = dimensions
    }

    /// The next requests meet these steps, in order; later ones are answered normally.
    func script(_ steps: [Step]) {
        script.withLock { $0 = steps }
    }

    /// The vector the fake gives `text` before normalisation.
    static func rawVector(_ text: String, dimensions: Int) -> [Float] {
        (0..<dimensions).map { Float((text.unicodeScalars.count + 1) * ($0 + 1) % 17) + 0.5 }
    }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("/v1/embeddings") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 24)
            let json = (try JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            let inputs = json["input"] as? [String] ?? []
            self.received.append(Received(
                authorization: request.headers[.authorization], model: json["model"] as? String ?? "", inputs: inputs,
                dimensions: json["dimensions"] as? Int
            ))
            var length = self.dimensions
            switch self.script.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
            case .fail(let status)?:
                return Self.json(.init(code: status), ["error": ["message": "scripted failure", "type": "server_error"]])
            case .delay(let duration)?:
                try await Task.sleep(for: duration)
            case .wrongLength?:
                length += 1
            case nil:
                break
            }
            let data = inputs.enumerated().map { index, text in
                ["object": "embedding", "index": index, "embedding": Self.rawVector(text, dimensions: length).map(Double.init)] as [String: Any]
            }
            let tokens = inputs.reduce(0) { $0 + $1.split(separator: " ").count }
            return Self.json(.ok, [
                "object": "list", "data": data, "model": json["model"] ?? "",
                "usage": ["prompt_tokens": tokens, "total_tokens": tokens],
            ])
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
