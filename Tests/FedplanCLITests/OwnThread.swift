import Foundation
import Testing

/// Runs each test case of a suite on a thread of its own.
///
/// The command-line tests block: they wait for `fedplan`, for servers to start, for pipes to
/// close. Swift runs test cases on its cooperative thread pool, which has one thread per core
/// and never adds one when a thread blocks: on a 2-core machine two blocked test cases stopped
/// every other, so the suite ran two at a time, mostly waiting, whatever
/// SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH allowed (measured: 8 tasks that each block
/// for 1 s take 4 s). With a thread per job, a waiting test case holds only its own thread, and
/// scripts/test.sh's width is how many run at once.
struct OwnThread: TestTrait, SuiteTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        // The suite's own scope runs nothing that blocks; each test case gets the executor.
        guard testCase != nil else { return try await function() }
        try await withTaskExecutorPreference(ThreadPerJob.shared) { try await function() }
    }
}

extension Trait where Self == OwnThread {
    /// Each test case on a thread of its own (see `OwnThread`).
    static var ownThread: Self { OwnThread() }
}

/// A task executor that starts a thread for every job it is given. A job runs a test case's
/// body up to its next suspension; the bodies here never suspend, so this is one thread per
/// test case, ended when the test case ends.
final class ThreadPerJob: TaskExecutor {
    static let shared = ThreadPerJob()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        Thread { job.runSynchronously(on: executor) }.start()
    }
}
