import Foundation
import Hummingbird
import NIOCore

/// The answer of `POST /v1/embeddings`, OpenAI's shape:
/// `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[...]}],"model":"...","usage":{"prompt_tokens":n,"total_tokens":n}}`.
///
/// Written by hand into one buffer: 256 vectors of 384 floats through `JSONEncoder` cost tens of
/// milliseconds, more than the forward pass of a short query. Floats are written in Swift's
/// shortest round-trip form, so a client parsing them gets the exact float32 back.
enum EmbeddingResponse {
    static func response(_ embeddings: Embeddings, model: String, format: EmbeddingRequest.EncodingFormat) -> Response {
        let dimensions = embeddings.vectors.first?.count ?? 0
        var buffer = ByteBuffer()
        buffer.reserveCapacity(128 + embeddings.vectors.count * (64 + dimensions * (format == .float ? 12 : 6)))
        buffer.writeString("{\"object\":\"list\",\"data\":[")
        for (index, vector) in embeddings.vectors.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString("{\"object\":\"embedding\",\"index\":\(index),\"embedding\":")
            switch format {
            case .float:
                buffer.writeString("[")
                for (position, value) in vector.enumerated() {
                    if position > 0 { buffer.writeString(",") }
                    buffer.writeString(value.isFinite ? value.description : "0")
                }
                buffer.writeString("]")
            case .base64:
                buffer.writeString("\"\(VectorCoding.base64(vector))\"")
            }
            buffer.writeString("}")
        }
        let tokens = embeddings.totalTokens
        buffer.writeString("],\"model\":\(jsonString(model)),\"usage\":{\"prompt_tokens\":\(tokens),\"total_tokens\":\(tokens)}}")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        (try? String(decoding: JSONEncoder().encode(text), as: UTF8.self)) ?? "\"\""
    }
}

/// A model as `GET /v1/embeddings/models` shows it: OpenAI's model object plus what a caller
/// of an embedding model needs to know.
struct ModelObject: ResponseEncodable {
    var id: String
    var object = "model"
    var ownedBy: String
    var provider: String
    var aliases: [String]
    var dimensions: Int
    var maxTokens: Int?
    var normalized: Bool
    var weightsSHA256: String?

    init(_ info: EmbeddingModelInfo) {
        id = info.id
        ownedBy = info.provider == ProviderSettings.localName ? "cairn" : info.provider
        provider = info.provider
        aliases = info.aliases
        dimensions = info.dimensions
        maxTokens = info.maxTokens
        normalized = info.normalized
        weightsSHA256 = info.weightsSHA256
    }

    enum CodingKeys: String, CodingKey {
        case id, object, provider, aliases, dimensions, normalized
        case ownedBy = "owned_by"
        case maxTokens = "max_tokens"
        case weightsSHA256 = "weights_sha256"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(object, forKey: .object)
        try container.encode(ownedBy, forKey: .ownedBy)
        try container.encode(provider, forKey: .provider)
        try container.encode(aliases, forKey: .aliases)
        try container.encode(dimensions, forKey: .dimensions)
        // null rather than absent: a client can tell "unknown" from a typo in the key.
        try container.encode(maxTokens, forKey: .maxTokens)
        try container.encode(normalized, forKey: .normalized)
        try container.encode(weightsSHA256, forKey: .weightsSHA256)
    }
}

/// `{"object":"list","data":[models]}`.
struct ModelList: ResponseEncodable {
    var object = "list"
    var data: [ModelObject]
}
