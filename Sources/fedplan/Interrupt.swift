import Glibc

/// Ctrl-C and SIGTERM. By default a signal ends fedplan at once, as it would without a handler,
/// but first removes the temporary file of a write in progress, so the target file is left as
/// it was and no debris stays behind. During a live check (`whileChecking`) the first signal only
/// asks the query engine to stop: the check prints what it verified so far, then fedplan ends by
/// the same signal, so the shell still sees "interrupted". A second signal ends it at once.
///
/// The handler may only call async-signal-safe functions (`write`, `unlink`, `signal`, `raise`),
/// so everything it reads is set up beforehand in plain memory.
enum Interrupt {
    /// Readable once a signal asked a live check to stop.
    static var fd: Int32 { pipeEnds[0] }

    /// Installs the handler; call once, first thing.
    static func install() {
        pipeEnds = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
        pipeEnds.initialize(repeating: -1, count: 2)
        if pipe(pipeEnds) == 0 {
            for end in 0..<2 {
                _ = fcntl(pipeEnds[end], F_SETFD, FD_CLOEXEC)
                _ = fcntl(pipeEnds[end], F_SETFL, O_NONBLOCK)
            }
        }
        temporaryPaths = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        temporaryPaths[0] = 0
        state = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
        state.initialize(repeating: 0, count: 2)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handle
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: a blocking call returns EINTR and the caller looks again
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
    }

    /// The signal that arrived, or 0.
    static var received: Int32 { state?[signalIndex] ?? 0 }

    /// Runs a live check with graceful stopping turned on.
    static func whileChecking<T>(_ body: () throws -> T) rethrows -> T {
        state[gracefulIndex] = 1
        defer { state[gracefulIndex] = 0 }
        return try body()
    }

    /// Ends the process by the signal that interrupted it (after the report was printed).
    static func endIfInterrupted() {
        let signal = received
        guard signal != 0 else { return }
        Glibc.signal(signal, SIG_DFL)
        raise(signal)
    }

    /// Names the temporary files being written, removed if a signal ends fedplan before they are
    /// renamed. The handler reads them from one block of NUL-terminated paths, ended by an
    /// empty one, built here beforehand (it may not allocate).
    static func writing(_ paths: [String]) {
        guard state != nil else { return }
        var block: [CChar] = []
        for path in paths { block += path.utf8CString }
        block.append(0)
        let fresh = UnsafeMutablePointer<CChar>.allocate(capacity: block.count)
        fresh.initialize(from: block, count: block.count)
        let old = temporaryPaths
        temporaryPaths = fresh
        old?.deallocate()
    }

    private static let signalIndex = 0
    private static let gracefulIndex = 1
    nonisolated(unsafe) private static var pipeEnds: UnsafeMutablePointer<Int32>!
    nonisolated(unsafe) private static var temporaryPaths: UnsafeMutablePointer<CChar>!
    nonisolated(unsafe) private static var state: UnsafeMutablePointer<Int32>!

    private static let handle: @convention(c) (Int32) -> Void = { signal in
        let first = state[signalIndex] == 0
        state[signalIndex] = signal
        if first && state[gracefulIndex] != 0 {
            var byte: UInt8 = 1
            _ = write(pipeEnds[1], &byte, 1)
            return
        }
        var path = temporaryPaths!
        while path[0] != 0 {
            unlink(path)
            path += strlen(path) + 1
        }
        Glibc.signal(signal, SIG_DFL)
        raise(signal)
    }
}
