import Dispatch
import Foundation
import Synchronization

/// Ctrl-C as a request to stop cleanly: the first press sets `isRequested`, so a training loop can save a
/// checkpoint and stop at its next step boundary; a second press quits at once with status 130 (128 +
/// SIGINT, the shell's convention). Signals within `graceSeconds` of the first count as the same press:
/// `timeout -s INT` and a terminal's Ctrl-C reach a process twice in a row (once directly, once through
/// its process group), and that must not cost the checkpoint.
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
        /// A signal within the grace period of the first: the same press, nothing more to do.
        case echoOfFirst
        /// A later press: quit now.
        case quitNow
    }

    /// What the first Ctrl-C prints on standard error.
    static let notice = "\ninterrupted: saving a checkpoint at the next step (Ctrl-C again to quit now)\n"

    /// How long after the first press further signals are taken as echoes of it.
    static let graceSeconds = 1.0

    private let presses = Atomic<Int>(0)
    /// When the first press arrived, in `DispatchTime` nanoseconds (0 before it).
    private let firstPress = Atomic<UInt64>(0)
    /// The SIGINT handler, kept alive with this object; set once in `handlingControlC()`, never changed
    /// after (hence `@unchecked Sendable`: the only shared mutable state is the atomic counter).
    private var signalSource: (any DispatchSourceSignal)?

    /// An interruption that only counts `record()` calls; `handlingControlC()` connects one to Ctrl-C.
    init() {}

    /// Whether Ctrl-C has been pressed.
    public var isRequested: Bool { presses.load(ordering: .relaxed) > 0 }

    /// Counts one press arriving at `now` (nanoseconds) and says what it asks for.
    func record(now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Response {
        let (exchanged, first) = firstPress.compareExchange(expected: 0, desired: max(now, 1), ordering: .relaxed)
        if exchanged { presses.wrappingAdd(1, ordering: .relaxed); return .stopAtNextStep }
        guard Double(now &- first) / 1e9 >= Interruption.graceSeconds else { return .echoOfFirst }
        presses.wrappingAdd(1, ordering: .relaxed)
        return .quitNow
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
            case .echoOfFirst: break
            case .quitNow: exit(130)
            }
        }
        source.resume()
        interruption.signalSource = source
        return interruption
    }
}
