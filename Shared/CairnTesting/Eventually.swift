/// Polls `condition` every `interval` until it holds or `timeout` passes; says whether it held.
/// Tests await conditions with this instead of sleeping a fixed time.
public func eventually(
    within timeout: Duration = .seconds(5), every interval: Duration = .milliseconds(10), _ condition: () async -> Bool
) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return await condition()
}
