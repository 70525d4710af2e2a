/// Why the model could not be loaded.
public enum MiniLMError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalidWeights(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .invalidWeights(let reason): "invalid model weights: \(reason)"
        }
    }
}
