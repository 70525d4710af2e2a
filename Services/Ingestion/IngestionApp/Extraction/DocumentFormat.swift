import Foundation

/// The formats we extract text from, named by their canonical media type.
public enum DocumentFormat: String, Sendable, CaseIterable, Codable {
    case plainText = "text/plain"
    case markdown = "text/markdown"
    case html = "text/html"
    case json = "application/json"
    case pdf = "application/pdf"
    case docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    public var mediaType: String { rawValue }

    /// Decides the format from the declared media type, sniffing the bytes only when the
    /// declaration says nothing (missing, `application/octet-stream` and the like): `%PDF-` is a
    /// PDF, a zip holding `word/document.xml` is a DOCX, a file name ending `.md` is Markdown,
    /// other valid UTF-8 is HTML, JSON or plain text by its first characters.
    /// A specific declared type is trusted; if the bytes disagree, extraction fails with a reason.
    public static func detect(declaredType: String?, filename: String? = nil, data: Data)
        throws(ExtractionError) -> DocumentFormat
    {
        let mediaType = MediaType(declaredType ?? "")
        if let declared = byMediaType[mediaType.essence] { return declared }
        if mediaType.essence.hasSuffix("+json") { return .json }
        guard mediaType.isGeneric else {
            throw .unsupportedMediaType(mediaType.essence, allowed: allCases.map(\.mediaType))
        }
        if let sniffed = try sniff(data, filename: filename) { return sniffed }
        throw .unsupportedMediaType(
            mediaType.essence.isEmpty ? "application/octet-stream" : mediaType.essence,
            allowed: allCases.map(\.mediaType)
        )
    }

    /// Declared types (lower-cased, without parameters) we recognise, with their aliases.
    private static let byMediaType: [String: DocumentFormat] = [
        "text/plain": .plainText,
        "text/markdown": .markdown, "text/x-markdown": .markdown,
        "text/html": .html, "application/xhtml+xml": .html,
        "application/json": .json, "text/json": .json,
        "application/pdf": .pdf, "application/x-pdf": .pdf,
        DocumentFormat.docx.mediaType: .docx,
    ]

    static func sniff(_ data: Data, filename: String?) throws(ExtractionError) -> DocumentFormat? {
        if PDFSignature.find(in: data) != nil { return .pdf }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            guard DOCXExtractor.looksLikeDOCX(data) else {
                throw .unsupportedMediaType("application/zip", allowed: allCases.map(\.mediaType))
            }
            return .docx
        }
        switch filename.map({ ($0 as NSString).pathExtension.lowercased() }) ?? "" {
        case "md", "markdown": return .markdown
        case "htm", "html", "xhtml": return .html
        case "json": return .json
        case "txt", "text": return .plainText
        default: break
        }
        // Text formats by their first non-blank characters; binary stays unknown.
        guard let head = try? TextDecoding.decode(data.prefix(1024), charset: nil, allowTruncatedTail: true) else {
            return nil
        }
        let start = head.drop(while: \.isWhitespace).prefix(15).lowercased()
        if start.hasPrefix("<!doctype html") || start.hasPrefix("<html") { return .html }
        if start.hasPrefix("{") || start.hasPrefix("[") { return .json }
        return .plainText
    }
}

/// A parsed `Content-Type` value: its essence (`type/subtype`, lower-cased) and parameters.
struct MediaType {
    var essence: String
    var parameters: [String: String]

    init(_ value: String) {
        let parts = value.split(separator: ";", omittingEmptySubsequences: false)
        essence = (parts.first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            let raw = pair[1].trimmingCharacters(in: .whitespaces)
            parameters[key] = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        self.parameters = parameters
    }

    /// Types that say nothing about the content, so the bytes decide.
    var isGeneric: Bool {
        ["", "application/octet-stream", "binary/octet-stream", "application/binary", "application/unknown",
         "application/x-unknown", "application/zip", "application/x-zip-compressed", "*/*"].contains(essence)
    }

    var charset: String? { parameters["charset"]?.lowercased() }
}

/// PDF files start with `%PDF-`, which readers accept anywhere in the first kilobyte.
enum PDFSignature {
    static func find(in data: Data) -> Int? {
        let magic: [UInt8] = [0x25, 0x50, 0x44, 0x46, 0x2D]  // %PDF-
        return data.prefix(1024).firstRange(of: magic).map { $0.lowerBound - data.startIndex }
    }
}
