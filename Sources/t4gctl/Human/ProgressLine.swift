import Foundation
import Synchronization

/// A status line with a spinner on stderr while long work runs (`⠹ paying 1,000 sat: pending, 3s`), redrawn
/// in place; only when stderr is a terminal, silent otherwise (a pipe or a log never sees it). Results go to
/// stdout as always, so `--json` output is the same with or without it.
final class ProgressLine: Sendable {
    /// The line is drawn (stderr is a terminal and the caller wants it).
    let enabled: Bool
    private let state = Mutex(State())
    private static let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

    private struct State {
        var text = ""
        var frame = 0
        var started = ContinuousClock.now
        var ticker: Task<Void, Never>?
        var drawn = false
        var stopped = false
    }

    init(enabled: Bool) { self.enabled = enabled }

    /// A line on stderr when it is a terminal and `wanted`.
    static func onStandardError(wanted: Bool = true) -> ProgressLine {
        ProgressLine(enabled: wanted && isatty(STDERR_FILENO) == 1)
    }

    /// Shows `text` from now on, the spinner turning and the elapsed time counting every 100 ms.
    func show(_ text: String) {
        guard enabled else { return }
        let start = state.withLock { state in
            state.text = TerminalText.escaped(text)
            return state.ticker == nil && !state.stopped
        }
        if start {
            let ticker = Task { [weak self] in
                while !Task.isCancelled, let self {
                    self.draw()
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            state.withLock { state in
                if state.stopped { ticker.cancel() } else { state.ticker = ticker }
            }
        }
        draw()
    }

    /// Erases the line and stops the spinner for good; the terminal is as before the first ``show(_:)``.
    func stop() {
        guard enabled else { return }
        state.withLock { state in
            state.ticker?.cancel()
            state.ticker = nil
            state.stopped = true
            if state.drawn { Self.write("\r\u{1B}[K") }
            state.drawn = false
        }
    }

    /// Runs `body` (which prints a line of its own) with the status line erased; the next tick redraws it.
    func above(_ body: () -> Void) {
        state.withLock { state in
            if state.drawn { Self.write("\r\u{1B}[K") }
            state.drawn = false
            body()
            fflush(nil)
        }
    }

    /// Draws the line, under the lock so that a ``stop()`` never sees it redrawn after erasing it.
    private func draw() {
        state.withLock { state in
            guard !state.stopped else { return }
            state.frame = (state.frame + 1) % Self.frames.count
            state.drawn = true
            let elapsed = (ContinuousClock.now - state.started).components.seconds
            Self.write("\r\u{1B}[K\(Self.frames[state.frame]) \(state.text), \(DurationText.format(seconds: elapsed))")
        }
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
