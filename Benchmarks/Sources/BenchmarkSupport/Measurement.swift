import Glibc

/// Keeps `value` alive so that the optimizer cannot drop the work that made it.
@inline(never)
@_optimize(none)
public func consume<T>(_ value: T) {}

/// CPU time consumed by the calling thread, in nanoseconds.
public func threadCPUTimeNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Runs `measured(chunk)` and `bare(chunk)` for every chunk in `0..<chunks`, one right after the other with
/// the order flipping every chunk, and returns the thread CPU nanoseconds each side spent in total.
///
/// Other processes' load changes over tens of milliseconds; alternating short chunks makes it weigh on
/// both sides of the ratio alike.
public func pairedCPUTime(chunks: Int, measured: (Int) -> Void, bare: (Int) -> Void) -> (
    measured: UInt64, bare: UInt64
) {
    func timed(_ body: (Int) -> Void, _ chunk: Int) -> UInt64 {
        let before = threadCPUTimeNanoseconds()
        body(chunk)
        return threadCPUTimeNanoseconds() - before
    }
    var measuredNanoseconds: UInt64 = 0
    var bareNanoseconds: UInt64 = 0
    for chunk in 0..<chunks {
        if chunk % 2 == 0 {
            measuredNanoseconds += timed(measured, chunk)
            bareNanoseconds += timed(bare, chunk)
        } else {
            bareNanoseconds += timed(bare, chunk)
            measuredNanoseconds += timed(measured, chunk)
        }
    }
    return (measuredNanoseconds, bareNanoseconds)
}

/// The median of `values` (the upper one for an even count).
public func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
