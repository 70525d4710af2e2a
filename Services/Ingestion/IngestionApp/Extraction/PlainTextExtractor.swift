import Foundation

/// `text/plain`: decoded strictly (BOM, then the declared charset, else UTF-8) and normalised.
enum PlainTextExtractor {
    static func extract(_ data: Data, charset: String?, limits: IngestionLimits) throws(ExtractionError) -> ExtractedDocument {
        let text = try TextDecoding.decode(data, charset: charset)
        var builder = DocumentBuilder(format: .plainText, maxUTF8Bytes: limits.maxExtractedTextBytes)
        try builder.appendText(text)
        return builder.finish()
    }
}
