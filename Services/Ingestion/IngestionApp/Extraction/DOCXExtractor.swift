import Foundation
import ZIPFoundation

/// DOCX (Office Open XML): a zip of XML parts, of which `word/document.xml` holds the body.
/// Paragraphs become blocks; paragraphs in a heading style (`Heading 1`…, by the style's name
/// in `word/styles.xml` or its outline level, so localised style ids work) and `Title` become
/// sections; tables become one line per row with cells joined by ` | `. Deleted revisions, field
/// codes and the fallback copies of `mc:AlternateContent` are not text.
///
/// Zip bomb guards, all before anything is inflated and again while inflating (declared sizes can
/// lie): the number of entries, the bytes the parts we read expand to, and each part's expansion
/// ratio.
enum DOCXExtractor {
    static let documentPart = "word/document.xml"
    static let stylesPart = "word/styles.xml"

    /// Whether `data` is a zip archive with a `word/document.xml` (for sniffing).
    static func looksLikeDOCX(_ data: Data) -> Bool {
        guard let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil) else { return false }
        return archive[documentPart] != nil
    }

    static func extract(_ data: Data, limits: IngestionLimits) throws(ExtractionError) -> ExtractedDocument {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read, pathEncoding: nil)
        } catch {
            throw .corrupted("not a valid zip archive, which a DOCX is")
        }
        var entryCount = 0
        var document: Entry?
        var styles: Entry?
        for entry in archive {
            entryCount += 1
            if entryCount > limits.maxArchiveEntries {
                throw .archiveTooLarge("more than \(limits.maxArchiveEntries) entries; the limit is \(limits.maxArchiveEntries)")
            }
            if entry.path == documentPart, document == nil { document = entry }
            if entry.path == stylesPart, styles == nil { styles = entry }
        }
        guard let document else { throw .corrupted("\(documentPart) is missing, so this is not a Word document") }

        var reader = PartReader(archive: archive, limits: limits)
        var headingStyles = HeadingStyles()
        if let styles { headingStyles = try HeadingStyles.parse(reader.read(styles)) }
        let xml = try reader.read(document)
        return try DocumentXMLReader.read(xml, headingStyles: headingStyles, limits: limits)
    }
}

/// Inflates parts under a shared budget of uncompressed bytes and a per-part expansion ratio.
private struct PartReader {
    let archive: Archive
    let limits: IngestionLimits
    var budget: Int
    /// Parts below this size are never bombs, whatever their ratio (tiny XML compresses well).
    static let ratioFloor = 1_048_576

    init(archive: Archive, limits: IngestionLimits) {
        self.archive = archive
        self.limits = limits
        budget = limits.maxUncompressedBytes
    }

    private struct Exceeded: Error { let reason: String }

    mutating func read(_ entry: Entry) throws(ExtractionError) -> Data {
        let compressed = Int(clamping: entry.compressedSize)
        let declared = Int(clamping: entry.uncompressedSize)
        if let reason = violation(bytes: declared, compressed: compressed, path: entry.path) {
            throw .archiveTooLarge(reason)
        }
        var data = Data()
        let budget = self.budget
        let limits = self.limits
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if let reason = Self.violation(bytes: data.count, compressed: compressed, path: entry.path,
                                               budget: budget, limits: limits) {
                    throw Exceeded(reason: reason)
                }
            }
        } catch let exceeded as Exceeded {
            throw .archiveTooLarge(exceeded.reason)
        } catch {
            throw .corrupted("\(entry.path) cannot be unpacked (damaged zip entry)")
        }
        self.budget -= data.count
        return data
    }

    private func violation(bytes: Int, compressed: Int, path: String) -> String? {
        Self.violation(bytes: bytes, compressed: compressed, path: path, budget: budget, limits: limits)
    }

    private static func violation(bytes: Int, compressed: Int, path: String, budget: Int, limits: IngestionLimits) -> String? {
        if bytes > budget {
            return "\(path) expands to more than the limit of \(limits.maxUncompressedBytes) bytes"
        }
        if bytes > ratioFloor, bytes / max(compressed, 1) > limits.maxCompressionRatio {
            return "\(path) expands more than \(limits.maxCompressionRatio) times (the limit)"
        }
        return nil
    }
}
