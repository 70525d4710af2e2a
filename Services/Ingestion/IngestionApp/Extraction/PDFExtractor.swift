import Foundation

/// `application/pdf` through poppler's `pdftotext` (Debian package poppler-utils), run as a child
/// process with a timeout, an output cap and a page limit (`-l`, one page past the limit so that
/// "too many pages" is detected without reading the rest). `pdftotext` ends every page with a form
/// feed, which gives each page's start offset.
enum PDFExtractor {
    static func extract(_ data: Data, limits: IngestionLimits, pdftotext: URL?) async throws -> ExtractedDocument {
        guard PDFSignature.find(in: data) != nil else { throw ExtractionError.corrupted("not a PDF (no %PDF- header)") }
        guard let pdftotext else {
            throw ExtractionError.internal("pdftotext (Debian package poppler-utils) is not installed")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-pdf-\(UUID().uuidString)")
        let input = directory.appendingPathComponent("document.pdf")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
            try data.write(to: input)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw ExtractionError.internal("could not write a temporary file")
        }
        defer { try? FileManager.default.removeItem(at: directory) }

        let output: ChildProcess.Output
        do {
            output = try await ChildProcess.run(
                pdftotext,
                arguments: ["-enc", "UTF-8", "-eol", "unix", "-l", String(min(limits.maxPages, 1_000_000) + 1), input.path, "-"],
                timeout: limits.pdfTimeout,
                maxStdoutBytes: limits.maxExtractedTextBytes
            )
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ExtractionError.internal("could not start pdftotext")
        }
        if output.timedOut {
            let (seconds, attoseconds) = limits.pdfTimeout.components
            throw ExtractionError.timedOut(milliseconds: Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
        }
        try Task.checkCancellation()
        if output.stdoutLimitExceeded { throw ExtractionError.textTooLong(limit: limits.maxExtractedTextBytes) }
        let messages = String(decoding: output.stderr, as: UTF8.self).replacing(input.path, with: "the PDF")
        guard output.status == 0 else { throw failure(status: output.status, messages: messages) }

        var pages = String(decoding: output.stdout, as: UTF8.self).split(separator: "\u{0C}", omittingEmptySubsequences: false)
        if pages.last?.allSatisfy(\.isWhitespace) == true { pages.removeLast() }  // after the last page's form feed
        if pages.count > limits.maxPages { throw ExtractionError.tooManyPages(limit: limits.maxPages) }

        var builder = DocumentBuilder(format: .pdf, maxUTF8Bytes: limits.maxExtractedTextBytes)
        for page in pages {
            builder.startPage()
            try builder.appendText(String(page))
        }
        return builder.finish()
    }

    /// pdftotext's exit codes: 1 cannot open (damaged, or a password is needed), 3 permissions.
    private static func failure(status: Int32, messages: String) -> ExtractionError {
        let lowered = messages.lowercased()
        if status == 3 || lowered.contains("incorrect password") || lowered.contains("encrypted") {
            return .encrypted
        }
        // The tool's last error line tells a user what is wrong ("Couldn't find trailer dictionary").
        let detail = messages.split(separator: "\n").last { $0.contains("Error") }
            .map { $0.replacing("Syntax Error: ", with: "").replacing("Internal Error: ", with: "") }
            .map { String($0.prefix(200)) }
        return .corrupted(detail.map { "the PDF could not be read (\($0))" } ?? "the PDF could not be read")
    }

    /// `pdftotext` on the PATH, looked up once.
    static let defaultExecutable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("pdftotext")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()
}
