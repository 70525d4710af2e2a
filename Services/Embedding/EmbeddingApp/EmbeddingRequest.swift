import Foundation

/// The body of `POST /v1/embeddings`, as OpenAI defines it: `input` (a string or an array of
/// strings), `model`, `encoding_format` (`float` or `base64`), `dimensions`, `user` (ignored).
/// Every way a body can be wrong throws ``EmbeddingError/invalid(_:)`` naming the field.
struct EmbeddingRequest: Decodable, Sendable {
    enum EncodingFormat: String, Sendable {
        case float, base64
    }

    var input: [String]
    var model: String?
    var encodingFormat: EncodingFormat
    var dimensions: Int?

    enum CodingKeys: String, CodingKey {
        case input, model, dimensions
        case encodingFormat = "encoding_format"
    }

    init(input: [String], model: String? = nil, encodingFormat: EncodingFormat = .float, dimensions: Int? = nil) {
        self.input = input
        self.model = model
        self.encodingFormat = encodingFormat
        self.dimensions = dimensions
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else {
            throw EmbeddingError.invalid("the body must be a JSON object")
        }
        guard container.contains(.input) else { throw EmbeddingError.invalid("input is required") }
        if let text = try? container.decode(String.self, forKey: .input) {
            input = [text]
        } else if let texts = try? container.decode([String].self, forKey: .input) {
            input = texts
        } else {
            throw EmbeddingError.invalid("input must be a string or an array of strings (arrays of token ids are not accepted)")
        }
        guard !input.isEmpty else { throw EmbeddingError.invalid("input must not be an empty array") }
        model = try Self.optional(String.self, .model, in: container, "model must be a string")
        let format = try Self.optional(String.self, .encodingFormat, in: container, "encoding_format must be \"float\" or \"base64\"")
        guard let parsed = EncodingFormat(rawValue: format ?? "float") else {
            throw EmbeddingError.invalid("encoding_format must be \"float\" or \"base64\"")
        }
        encodingFormat = parsed
        dimensions = try Self.optional(Int.self, .dimensions, in: container, "dimensions must be an integer")
    }

    /// The field's value, nil when absent or null; `message` when it has another type.
    private static func optional<T: Decodable>(
        _ type: T.Type, _ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>, _ message: String
    ) throws -> T? {
        guard container.contains(key), !((try? container.decodeNil(forKey: key)) ?? false) else { return nil }
        guard let value = try? container.decode(T.self, forKey: key) else { throw EmbeddingError.invalid(message) }
        return value
    }

    /// Parses a body; anything that is not a JSON object of the right shape is a clear 400.
    static func parse(_ bytes: Data) throws(EmbeddingError) -> EmbeddingRequest {
        do {
            return try JSONDecoder().decode(EmbeddingRequest.self, from: bytes)
        } catch let error as EmbeddingError {
            throw error
        } catch {
            throw .invalid("the body is not valid JSON")
        }
    }

    /// Checks the limits and the model's dimensions; throws the first violation.
    func validate(limits: EmbeddingLimits, model: EmbeddingModelInfo) throws(EmbeddingError) {
        if let dimensions, dimensions != model.dimensions {
            throw .invalid("dimensions: \(model.id) produces \(model.dimensions)-dimensional vectors; no other size is available")
        }
        guard input.count <= limits.maxInputs else {
            throw .limitExceeded(
                limitName: "max_inputs", message: "input has \(input.count) items; at most \(limits.maxInputs) per request",
                limit: limits.maxInputs, actual: input.count
            )
        }
        var total = 0
        for (index, text) in input.enumerated() {
            let characters = text.unicodeScalars.count
            guard characters <= limits.maxInputCharacters else {
                throw .limitExceeded(
                    limitName: "max_input_characters",
                    message: "input[\(index)] has \(characters) characters; at most \(limits.maxInputCharacters) per input",
                    limit: limits.maxInputCharacters, actual: characters
                )
            }
            total += characters
        }
        guard total <= limits.maxRequestCharacters else {
            throw .limitExceeded(
                limitName: "max_request_characters",
                message: "input has \(total) characters in all; at most \(limits.maxRequestCharacters) per request",
                limit: limits.maxRequestCharacters, actual: total
            )
        }
    }
}
