import Dispatch
import Foundation
import Synchronization

/// Ctrl-C as a request to stop cleanly: the first press sets `isRequested`, so a training loop can save a
/// checkpoint and stop at its next step boundary; a second press quits at once with status 130 (128 +
/// SIGINT, the shell's convention).
///
/// ```swift
/// let interruption = Interruption.handlingControlC()
/// trainer.shouldStop = { interruption.isRequested }
/// ```
public final class Interruption: @unchecked Sendable {
    /// What one Ctrl-C asks for.
    enum Response: Equatable {
        /// The first press: stop at the next step boundary.
        case stopAtNextStep
        /// A later press: quit now.
        case quitNow
    }

    /// What the first Ctrl-C prints on standard error.
    static let notice = "\ninterrupted: saving a checkpoint at the next step (Ctrl-C again to quit now)\n"

    private let presses = Atomic<Int>(0)
    /// The SIGINT handler, kept alive with this object; set once in `handlingControlC()`, never changed
    /// after (hence `@unchecked Sendable`: the only shared mutable state is the atomic counter).
    private var signalSource: (any DispatchSourceSignal)?

    /// An interruption that only counts `record()` calls; `handlingControlC()` connects one to Ctrl-C.
    init() {}

    /// Whether Ctrl-C has been pressed.
    public var isRequested: Bool { presses.load(ordering: .relaxed) > 0 }

    /// Counts one press and says what it asks for.
    func record() -> Response {
        presses.wrappingAdd(1, ordering: .relaxed).newValue > 1 ? .quitNow : .stopAtNextStep
    }

    /// Replaces the default Ctrl-C action (terminate) by this one: the first press prints a notice and sets
    /// `isRequested`, the second exits with status 130. Call once, at start-up.
    public static func handlingControlC() -> Interruption {
        let interruption = Interruption()
        signal(SIGINT, SIG_IGN)   // the dispatch source sees the signal; the default action must not
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            switch interruption.record() {
            case .stopAtNextStep: FileHandle.standardError.write(Data(notice.utf8))
            case .quitNow: exit(130)
            }
        }
        source.resume()
        interruption.signalSource = source
        return interruption
    }
}
