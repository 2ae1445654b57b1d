import Orbit

/// The reference's early-stopping rule (Docs/References.md §A2, `run_model.py`): once more than `minimumEpochs`
/// validation scores have been recorded, stop when the mean of the last `window` scores is not below the
/// mean of the `window` before them (lower is better).
///
///     stop ⇔ count > minimumEpochs ∧ mean(v[-window...]) ≥ mean(v[-2·window ..< -window])
public func shouldStopEarly(validationHistory history: [Double], minimumEpochs: Int = 100, window: Int = 5) -> Bool {
    requireArgument(window >= 1 && minimumEpochs >= 0, "shouldStopEarly",
                    "needs window >= 1 (got \(window)) and minimumEpochs >= 0 (got \(minimumEpochs))")
    guard history.count > minimumEpochs, history.count >= 2 * window else { return false }
    let last = history.suffix(window), before = history.dropLast(window).suffix(window)
    return last.reduce(0, +) / Double(window) >= before.reduce(0, +) / Double(window)
}
