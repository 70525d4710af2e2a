import Dispatch

/// A task executor on threads of its own: extraction and chunking (parsers, tokenizer, `pdftotext`'s
/// bookkeeping) run here through `withTaskExecutorPreference`, so a large document never holds
/// one of the cooperative pool's few threads (two on this machine) away from HTTP requests.
final class ExtractionExecutor: TaskExecutor {
    private let queue: DispatchQueue

    init(label: String = "cairn.ingestion.extraction") {
        queue = DispatchQueue(label: label, qos: .utility, attributes: .concurrent)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
