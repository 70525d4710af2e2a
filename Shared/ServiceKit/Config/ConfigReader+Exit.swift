import Foundation

extension ConfigurationError {
    /// Exit code for bad configuration (`EX_CONFIG` from sysexits.h).
    public static let exitCode: Int32 = 78

    /// Prints every problem to standard error and exits with ``exitCode``: what a program does
    /// when it cannot start with the configuration it was given.
    public func exitProcess(program: String) -> Never {
        FileHandle.standardError.write(Data("\(program): \(description)\n".utf8))
        exit(Self.exitCode)
    }
}

extension ConfigReader {
    /// ``finish()``, or for a command-line program: report every problem and exit.
    public func finishOrExit(program: String) {
        do {
            try finish()
        } catch {
            error.exitProcess(program: program)
        }
    }
}
