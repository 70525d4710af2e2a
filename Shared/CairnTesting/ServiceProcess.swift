import Foundation

/// A service's real executable (the product `swift build` puts beside the test bundle) as a
/// child process, for tests that kill and restart it: its standard output and error are appended
/// to a log file the test can show when something fails.
public enum ServiceProcess {
    /// Starts product `product` with the test process's environment and `environment` on top.
    /// Starting is quick; wait for the process with `eventually { !process.isRunning }`, never
    /// `waitUntilExit()` on the cooperative pool.
    public static func start(_ product: String, environment: [String: String], log: URL) throws -> Process {
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let output = try FileHandle(forWritingTo: log)
        output.seekToEndOfFile()
        let process = Process()
        process.executableURL = TestInfra.binDirectory.appendingPathComponent(product)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }

    /// The end of a log, for a failure message.
    public static func tail(of log: URL, characters: Int = 1_500) -> String {
        String(((try? String(contentsOf: log, encoding: .utf8)) ?? "").suffix(characters))
    }
}
