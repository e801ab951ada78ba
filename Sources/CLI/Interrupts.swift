import ColumnStore
import Dispatch
import Foundation

/// Ctrl-C (SIGINT) and SIGTERM: the process exits with 128 + the signal number (130, 143) and leaves no staging
/// folder and no half-published report behind.
///
/// The signals are ignored by the default handler and read by a dispatch source instead, so the clean-up runs on an
/// ordinary thread (removing a folder is not async-signal-safe). The writer of a report registers its staging folder
/// and holds the lock while it writes a staged file or publishes; the handler takes the same lock, so it never
/// removes a folder that is being written to, and never stops a publish half-way: a signal during the renames exits
/// once they are done, with the new report complete.
enum Interrupts {
    private struct State {
        /// The staging folder that exists now, if any.
        var staging: String?
        /// Set while staged files are renamed into place: the exit waits for the end of the publish.
        var publishing = false
        /// The exit status of a signal that arrived during a publish.
        var pendingExit: Int32?
    }

    private static let state = Locked(State())

    /// Installs the handlers; call once, before any work, and keep the sources alive while the command runs.
    static func install() -> [any DispatchSourceSignal] {
        let queue = DispatchQueue(label: "faultline.signals")
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            // Ignore the default action (termination), so that only the source sees the signal.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { interrupted(by: signalNumber) }
            source.resume()
            sources.append(source)
        }
        return sources
    }

    private static func interrupted(by signalNumber: Int32) {
        let status = 128 + signalNumber
        state.withLock { state in
            if state.publishing {
                state.pendingExit = status
                return
            }
            if let staging = state.staging { try? FileManager.default.removeItem(atPath: staging) }
            leave(status, signalNumber)
        }
    }

    /// Exits without running further Swift code on the other threads (the analysis may still be running there).
    private static func leave(_ status: Int32, _ signalNumber: Int32) -> Never {
        let name = signalNumber == SIGINT ? "SIGINT" : "SIGTERM"
        Stderr.write("\nfaultline: interrupted (\(name)); no report was written\n")
        _exit(status)
    }

    /// Runs `body`, which creates or writes into `staging`, with the folder registered for removal: a signal waits
    /// until `body` returns, then removes the folder.
    static func staging<E: Error>(_ staging: String, _ body: () throws(E) -> Void) throws(E) {
        try state.withLock { (state) throws(E) in
            state.staging = staging
            try body()
        }
    }

    /// Runs `body`, which publishes the staged files and removes the staging folder, with signals deferred until it
    /// returns.
    static func publishing<E: Error>(_ body: () throws(E) -> Void) throws(E) {
        state.withLock { $0.publishing = true }
        var failure: E?
        do throws(E) { try body() } catch { failure = error }
        let pending = state.withLock { state -> Int32? in
            state.publishing = false
            guard let status = state.pendingExit else { return nil }
            if let staging = state.staging { try? FileManager.default.removeItem(atPath: staging) }
            return status
        }
        if let pending {
            let name = pending == 128 + SIGINT ? "SIGINT" : "SIGTERM"
            Stderr.write("\nfaultline: interrupted (\(name)) while the report was published; exiting\n")
            _exit(pending)
        }
        if let failure { throw failure }
    }

    /// Forgets the staging folder once it is removed.
    static func stagingRemoved() {
        state.withLock { $0.staging = nil }
    }
}
