#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Work run on a thread of its own beside the caller's, for the zone-file check's report. Why:
/// after reading, the scanning thread is done and one of this machine class's two cores sits
/// idle while the report is made; the answers to the planned questions and the file findings
/// are reads of the collector that do not depend on each other. Plain pthreads: the report is
/// synchronous, and Swift's cooperative pool (one thread per core) may be busy or absent.
/// The work must only read what the caller also reads, and write only what the caller leaves
/// alone until `join`. (Not generic over a result: Swift 6.3.1's region-based isolation
/// checker crashed on the generic form; the work writes its results where the caller gave.)
final class SecondThread: @unchecked Sendable {
    private let work: () -> Void
    private var thread: pthread_t?
    private var done = false

    /// Starts `work`; when no thread can be had, it runs in `join` instead.
    init(_ work: @escaping () -> Void) {
        self.work = work
        var t = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        if pthread_create(&t, nil, { context in
            let me = Unmanaged<SecondThread>.fromOpaque(context!).takeRetainedValue()
            me.work()
            return nil
        }, context) == 0 {
            thread = t
        } else {
            Unmanaged<SecondThread>.fromOpaque(context).release()
        }
    }

    /// Waits until the work is done.
    func join() {
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
            done = true
        }
        if !done {
            work()
            done = true
        }
    }
}

extension SecondThread {
    /// Lets go of `value` on a detached thread of its own: the last references to a large
    /// check's tables (tens of thousands of records, each with its strings and arrays) are
    /// dropped there, beside the work that follows, instead of on the caller's thread, where
    /// freeing the answers' and the checker's tables one by one cost 37 million instructions on
    /// a 1,000,000-record zone (callgrind, main thread; none there now). The caller must hold no
    /// other reference to what `value` holds, or nothing is freed there.
    static func release(_ value: consuming Any) {
        // No local reference to the holder: this thread must not hold one when the other drops
        // its own, or the last release, and all the freeing, would happen here after all.
        let context = Unmanaged.passRetained(Held(value)).toOpaque()
        var t = pthread_t()
        if pthread_create(&t, nil, { context in
            // Taking the last reference to `held` drops it, and what it holds, here.
            _ = Unmanaged<Held>.fromOpaque(context!).takeRetainedValue()
            return nil
        }, context) == 0 {
            pthread_detach(t)
        } else {
            Unmanaged<Held>.fromOpaque(context).release()
        }
    }

    private final class Held: @unchecked Sendable {
        let value: Any
        init(_ value: Any) { self.value = value }
    }
}
