/// Why a document could not be turned into text or chunks. Every failure of the processing core
/// is one of these (the extractors convert what their libraries and tools throw), so a caller
/// marks the document `failed` with ``reason`` and answers with ``category``'s status.
public enum ExtractionError: Error, Sendable, Equatable {
    /// The declared or sniffed type is not one we extract, or is not allowed by the limits.
    case unsupportedMediaType(String, allowed: [String])
    /// The upload is bigger than ``IngestionLimits/maxUploadBytes``.
    case tooLarge(bytes: Int, limit: Int)
    /// The bytes are not text in the expected encoding (or the JSON is not JSON).
    case undecodable(String)
    /// The file claims a format but its structure is broken (truncated PDF, not a zip, ...).
    case corrupted(String)
    /// A password-protected PDF (we never guess passwords).
    case encrypted
    /// The document contains no text at all after extraction and normalisation.
    case empty
    /// The PDF has more pages than ``IngestionLimits/maxPages``.
    case tooManyPages(limit: Int)
    /// A compressed container expands beyond what we accept (zip bomb guard).
    case archiveTooLarge(String)
    /// The extracted text is longer than ``IngestionLimits/maxExtractedTextBytes``.
    case textTooLong(limit: Int)
    /// The document would produce more than ``IngestionLimits/maxChunksPerDocument`` chunks.
    case tooManyChunks(limit: Int)
    /// Extraction took longer than allowed (a pathological file).
    case timedOut(milliseconds: Int)
    /// Our side failed (the PDF tool is missing, a temporary file could not be written).
    case `internal`(String)

    /// What the failure means to a client; the HTTP layer maps it to a status.
    public enum Category: String, Sendable {
        /// 415 Unsupported Media Type.
        case unsupportedMediaType
        /// 413 Content Too Large.
        case tooLarge
        /// 422 Unprocessable Content: the file is what it says but cannot be processed.
        case unprocessable
        /// 500: not the document's fault.
        case `internal`
    }

    public var category: Category {
        switch self {
        case .unsupportedMediaType: .unsupportedMediaType
        case .tooLarge: .tooLarge
        case .undecodable, .corrupted, .encrypted, .empty, .tooManyPages, .archiveTooLarge, .textTooLong,
             .tooManyChunks, .timedOut:
            .unprocessable
        case .internal: .internal
        }
    }

    /// Stable machine-readable code for the error shape's `code` field.
    public var code: String {
        switch self {
        case .unsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE"
        case .tooLarge: "DOCUMENT_TOO_LARGE"
        case .undecodable: "UNDECODABLE_DOCUMENT"
        case .corrupted: "CORRUPTED_DOCUMENT"
        case .encrypted: "ENCRYPTED_DOCUMENT"
        case .empty: "EMPTY_DOCUMENT"
        case .tooManyPages: "TOO_MANY_PAGES"
        case .archiveTooLarge: "ARCHIVE_TOO_LARGE"
        case .textTooLong: "TEXT_TOO_LONG"
        case .tooManyChunks: "TOO_MANY_CHUNKS"
        case .timedOut: "EXTRACTION_TIMEOUT"
        case .internal: "EXTRACTION_FAILED"
        }
    }

    /// A sentence for the document's `error` field and the client. Carries the limit where one
    /// was exceeded; never carries internal detail (paths, tool output) beyond what helps the user.
    public var reason: String {
        switch self {
        case .unsupportedMediaType(let type, let allowed):
            "unsupported media type \(type.isEmpty ? "(none)" : type); supported: \(allowed.joined(separator: ", "))"
        case .tooLarge(let bytes, let limit):
            "the document is \(bytes) bytes; the limit is \(limit) bytes (\(Self.megabytes(limit)))"
        case .undecodable(let why): "the document could not be decoded: \(why)"
        case .corrupted(let why): "the document is corrupted: \(why)"
        case .encrypted: "the PDF is encrypted (password-protected); upload an unprotected copy"
        case .empty: "the document contains no text"
        case .tooManyPages(let limit): "the document has more than \(limit) pages; the limit is \(limit)"
        case .archiveTooLarge(let why): "the document expands too much when unpacked: \(why)"
        case .textTooLong(let limit): "the extracted text is longer than the limit of \(limit) bytes (\(Self.megabytes(limit)))"
        case .tooManyChunks(let limit):
            "the document produces more than \(limit) chunks; the limit is \(limit) chunks per document"
        case .timedOut(let milliseconds):
            "extraction took longer than the limit of \(milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms")"
        case .internal(let why): "extraction failed on the server: \(why)"
        }
    }

    private static func megabytes(_ bytes: Int) -> String {
        let mib = Double(bytes) / 1_048_576
        return mib == mib.rounded() ? "\(Int(mib)) MiB" : "\((mib * 10).rounded() / 10) MiB"
    }
}

extension ExtractionError: CustomStringConvertible {
    public var description: String { "\(code): \(reason)" }
}
