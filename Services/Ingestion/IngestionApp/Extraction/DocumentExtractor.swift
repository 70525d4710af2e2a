import Foundation

/// Bytes and a declared media type in, normalised text with sections and pages out: the first half
/// of the processing core (``Chunker`` is the second). Stateless and `Sendable`: one instance
/// serves every document.
public struct DocumentExtractor: Sendable {
    public var limits: IngestionLimits
    /// The JSON fields that are text; empty means every string value.
    public var jsonFields: [JSONFieldPath]
    /// The `pdftotext` binary; nil when it is not installed (PDFs then fail with an internal error).
    public var pdftotext: URL?

    public init(limits: IngestionLimits = IngestionLimits(), jsonFields: [JSONFieldPath] = [],
                pdftotext: URL? = DocumentExtractor.installedPDFToText) {
        self.limits = limits
        self.jsonFields = jsonFields
        self.pdftotext = pdftotext
    }

    /// `pdftotext` as found on the PATH when first asked (nil if poppler-utils is not installed).
    public static let installedPDFToText: URL? = PDFExtractor.defaultExecutable

    /// Extracts a document's text.
    ///
    /// - Parameters:
    ///   - declaredType: the uploader's `Content-Type` (parameters such as `charset` are honoured);
    ///     nil or `application/octet-stream` makes the bytes decide.
    ///   - filename: the upload's file name, a hint when the type is generic.
    /// - Throws: ``ExtractionError`` for every problem with the document (and
    ///   `CancellationError` when the task is cancelled); never anything else.
    public func extract(_ data: Data, declaredType: String?, filename: String? = nil) async throws -> ExtractedDocument {
        try limits.checkUploadSize(data.count)
        let format = try DocumentFormat.detect(declaredType: declaredType, filename: filename, data: data)
        try limits.checkAllowed(format)
        let charset = MediaType(declaredType ?? "").charset
        let document: ExtractedDocument
        do {
            switch format {
            case .plainText: document = try PlainTextExtractor.extract(data, charset: charset, limits: limits)
            case .markdown: document = try MarkdownExtractor.extract(data, charset: charset, limits: limits)
            case .html: document = try HTMLExtractor.extract(data, charset: charset, limits: limits)
            case .json: document = try JSONExtractor.extract(data, charset: charset, fields: jsonFields, limits: limits)
            case .pdf: document = try await PDFExtractor.extract(data, limits: limits, pdftotext: pdftotext)
            case .docx: document = try DOCXExtractor.extract(data, limits: limits)
            }
        } catch ExtractionError.undecodable(let why) where format != .pdf && format != .docx {
            // Declared as text but binary: say what it looks like, which is what the user must fix.
            if let actual = try? DocumentFormat.sniff(data, filename: nil), actual == .pdf || actual == .docx {
                throw ExtractionError.undecodable("declared as \(format.mediaType) but the content is \(actual.mediaType)")
            }
            throw ExtractionError.undecodable(why)
        } catch let error as ExtractionError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ExtractionError.internal("unexpected \(type(of: error))")
        }
        guard document.scalarCount > 0 else { throw ExtractionError.empty }
        return document
    }
}
