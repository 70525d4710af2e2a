import Foundation
import Testing

@testable import IngestionApp

/// These run Debian's `pdftotext` (poppler-utils, installed by deploy/local/deps.sh).
@Suite("PDF extraction")
struct PDFExtractionTests {
    let extractor = DocumentExtractor()

    @Test("pdftotext is installed")
    func installed() {
        #expect(DocumentExtractor.installedPDFToText != nil, "install poppler-utils (deploy/local/deps.sh)")
    }

    @Test("pages: each page's start offset, an empty page starting where the next page's text does")
    func multipage() async throws {
        let document = try await extractor.extract(try Fixture.data("multipage.pdf"), declaredType: "application/pdf")
        #expect(document.format == .pdf)
        #expect(document.pageCount == 4)
        let text = document.text
        let offsets = ["Page one", "Page three", "Page four"].map { needle in
            text.unicodeScalars.count - text[text.range(of: needle)!.lowerBound...].unicodeScalars.count
        }
        #expect(document.pageStarts == [offsets[0], offsets[1], offsets[1], offsets[2]])
        #expect(document.page(at: offsets[0]) == 1)
        #expect(document.page(at: offsets[1] - 1) == 1)
        #expect(document.page(at: offsets[1]) == 3)  // page 2 is empty
        #expect(document.page(at: offsets[2]) == 4)
        #expect(document.page(at: document.scalarCount - 1) == 4)
        #expect(text.contains("this is the second one with café and naïve."))
        #expect(!text.contains("\u{0C}"))
    }

    @Test("a PDF detected by its magic bytes when declared as octet-stream")
    func sniffed() async throws {
        let document = try await extractor.extract(try Fixture.data("single-page.pdf"), declaredType: "application/octet-stream")
        #expect(document.text == "A single page PDF about Cairn.")
        #expect(document.pageStarts == [0])
    }

    @Test("more pages than the limit fails with the limit; exactly the limit passes")
    func pageLimit() async throws {
        var limits = IngestionLimits()
        limits.maxPages = 3
        let data = try Fixture.data("multipage.pdf")
        let error = await extractionError { _ = try await DocumentExtractor(limits: limits).extract(data, declaredType: "application/pdf") }
        #expect(error == .tooManyPages(limit: 3))
        #expect(error?.reason.contains("3 pages") == true && error?.category == .unprocessable)
        limits.maxPages = 4
        #expect(try await DocumentExtractor(limits: limits).extract(data, declaredType: "application/pdf").pageCount == 4)
    }

    @Test("a password-protected PDF fails as encrypted")
    func encrypted() async throws {
        let error = await extractionError { _ = try await extractor.extract(try Fixture.data("encrypted.pdf"), declaredType: "application/pdf") }
        #expect(error == .encrypted)
    }

    @Test("a corrupted PDF fails with poppler's reason, without our temporary path")
    func corrupted() async throws {
        let error = await extractionError { _ = try await extractor.extract(try Fixture.data("corrupted.pdf"), declaredType: "application/pdf") }
        guard case .corrupted(let why)? = error else {
            Issue.record("expected corrupted, got \(String(describing: error))")
            return
        }
        #expect(why.contains("xref") || why.contains("trailer"), "\(why)")
        #expect(!why.contains("/tmp"))
    }

    @Test("bytes declared as PDF without a PDF header, and a truncated PDF")
    func notAPDF() async throws {
        let error = await extractionError { _ = try await extractor.extract(Data("hello".utf8), declaredType: "application/pdf") }
        #expect(error == .corrupted("not a PDF (no %PDF- header)"))
        let whole = try Fixture.data("multipage.pdf")
        let truncated = await extractionError { _ = try await extractor.extract(whole.prefix(300), declaredType: "application/pdf") }
        #expect(truncated?.category == .unprocessable)
    }

    @Test("a hung pdftotext is stopped at the timeout")
    func timeout() async throws {
        let fake = try FakeTool(script: "exec sleep 30")
        defer { fake.remove() }
        var limits = IngestionLimits()
        limits.pdfTimeout = .milliseconds(300)
        let clock = ContinuousClock()
        let started = clock.now
        let error = await extractionError {
            _ = try await DocumentExtractor(limits: limits, pdftotext: fake.url).extract(try Fixture.data("single-page.pdf"), declaredType: "application/pdf")
        }
        #expect(error == .timedOut(milliseconds: 300))
        #expect(error?.reason.contains("300 ms") == true)
        #expect(clock.now - started < .seconds(10))
    }

    @Test("output past the text limit stops the tool")
    func outputLimit() async throws {
        let fake = try FakeTool(script: "exec yes 'endless text'")
        defer { fake.remove() }
        var limits = IngestionLimits()
        limits.maxExtractedTextBytes = 100_000
        let error = await extractionError {
            _ = try await DocumentExtractor(limits: limits, pdftotext: fake.url).extract(try Fixture.data("single-page.pdf"), declaredType: "application/pdf")
        }
        #expect(error == .textTooLong(limit: 100_000))
    }

    @Test("without pdftotext a PDF is an internal error, not the document's fault")
    func missingTool() async throws {
        let error = await extractionError {
            _ = try await DocumentExtractor(pdftotext: nil).extract(try Fixture.data("single-page.pdf"), declaredType: "application/pdf")
        }
        #expect(error?.category == .internal)
    }

    @Test("waiting for pdftotext does not hold a thread")
    func nonBlocking() async throws {
        // Six extractions whose tool sleeps 2 s, and a probe, all on one serial executor (so the
        // other tests' load on the shared pool does not matter). Were the waits blocking, the
        // probe could only run after them.
        let fake = try FakeTool(script: "exec sleep 2")
        defer { fake.remove() }
        let extractor = DocumentExtractor(pdftotext: fake.url)
        let data = try Fixture.data("single-page.pdf")
        let executor = SerialTaskExecutor()
        let clock = ContinuousClock()
        let started = clock.now
        let (probe, total) = await withTaskGroup(of: Duration?.self) { group in
            for _ in 0..<6 {
                group.addTask(executorPreference: executor) {
                    _ = try? await extractor.extract(data, declaredType: "application/pdf")
                    return nil
                }
            }
            group.addTask(executorPreference: executor) { clock.now - started }
            var probe: Duration?
            for await result in group { if let result { probe = result } }
            return (probe, clock.now - started)
        }
        // Blocking waits would put the probe after at least one 2 s wait and the total at 12 s.
        #expect(try #require(probe) < .milliseconds(1_900))
        #expect(total < .seconds(10), "the six waits overlap")
    }
}

/// Runs jobs one at a time on a dispatch queue of its own.
final class SerialTaskExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "serial-task-executor")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// An executable shell script standing in for pdftotext.
struct FakeTool {
    let url: URL

    init(script: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("fake-pdftotext-\(UUID().uuidString)")
        try Data("#!/bin/sh\n\(script)\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
