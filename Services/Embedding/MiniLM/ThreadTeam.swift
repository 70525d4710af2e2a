import CMiniLMKernels

/// The forward pass's threads (`minilm_team`): `run` calls its body once per member, member 0
/// on the calling thread, and returns when all are done. Hand-offs take microseconds, so a
/// short query can split every matrix product between the cores.
final class ThreadTeam: @unchecked Sendable {
    private let team: OpaquePointer
    let size: Int

    init(size: Int) {
        guard let team = minilm_team_create(size) else { fatalError("cannot start \(size - 1) model threads") }
        self.team = team
        self.size = minilm_team_size(team)
    }

    deinit { minilm_team_destroy(team) }

    /// Runs `body(member)` for member in 0..<size at once. Not reentrant.
    func run(_ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            var task = body
            withUnsafeMutablePointer(to: &task) { task in
                minilm_team_run(team, { context, member in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(member))
                }, task)
            }
        }
    }
}
