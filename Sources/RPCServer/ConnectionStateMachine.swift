/// The lifecycle rules of one client connection, without I/O.
///
/// Tracks requests in flight, whether the client subscribed to a stream, whether its input ended
/// and whether the server is shutting down, and says what the channel handler must do next.
struct ConnectionStateMachine {
    enum Phase: Equatable {
        /// Reading and answering requests.
        case open
        /// The client half-closed its side; remaining replies are still written.
        case inputClosed
        /// The server is shutting down; requests still in flight may finish.
        case draining
        /// Closing or closed; nothing more happens.
        case closed
    }

    /// What to do with a request that arrived.
    enum Admission: Equatable {
        /// Run it; it now counts as in flight.
        case dispatch
        /// Answer `overloaded`: the in-flight limit is reached.
        case overloaded
        /// Answer `shutting_down`.
        case shuttingDown
        /// Drop it: the connection is closing.
        case closed
    }

    /// Why the connection is closed, sent to the client as an error with id null before closing.
    enum CloseNotice: Equatable, Sendable {
        case idleTimeout
        /// A request line did not arrive whole within the request timeout.
        case requestTimeout
        /// The peer may call nothing.
        case unauthorized
        case shuttingDown
        case requestTooLarge
        case tooManyConnections
    }

    /// What the channel handler must do after an event.
    enum Action: Equatable {
        case none
        /// Start (or restart) the idle timer.
        case armIdleTimer
        /// Stop the idle timer.
        case cancelIdleTimer
        /// Start the timer that closes the connection when the shutdown grace period ends.
        case scheduleForceClose
        /// Write the notice, if any, flush everything written so far, then close.
        case close(CloseNotice?)
    }

    private(set) var phase = Phase.open
    private(set) var inFlight = 0
    private(set) var isStreaming = false
    let maxInFlight: Int

    init(maxInFlight: Int) {
        self.maxInFlight = maxInFlight
    }

    /// Whether a request arriving now would be run (given room under the limits).
    var acceptsRequests: Bool { phase == .open || phase == .inputClosed }

    /// Whether the idle timeout applies now.
    var isIdle: Bool { phase == .open && inFlight == 0 && !isStreaming }

    /// A request (or notification) arrived; one answered `immediately`, before anything else is read, is
    /// not held to the in-flight limit.
    mutating func admitRequest(immediately: Bool = false) -> Admission {
        switch phase {
        case .closed:
            return .closed
        case .draining:
            return .shuttingDown
        case .open, .inputClosed:
            guard immediately || inFlight < maxInFlight else { return .overloaded }
            inFlight += 1
            return .dispatch
        }
    }

    /// `count` admitted requests finished and their reply, if any, was handed to the channel.
    mutating func requestsCompleted(_ count: Int) -> Action {
        inFlight -= count
        guard inFlight == 0 else { return .none }
        switch phase {
        case .open:
            return isStreaming ? .none : .armIdleTimer
        case .inputClosed:
            return isStreaming ? .none : close(nil)
        case .draining:
            return close(.shuttingDown)
        case .closed:
            return .none
        }
    }

    /// Bytes arrived from the client.
    mutating func bytesReceived() -> Action {
        isIdle ? .armIdleTimer : .none
    }

    /// The idle timer fired.
    mutating func idleTimerFired() -> Action {
        isIdle ? close(.idleTimeout) : .none
    }

    /// The client closed its sending side.
    mutating func inputEnded() -> Action {
        guard phase == .open else { return .none }
        phase = .inputClosed
        return inFlight == 0 && !isStreaming ? close(nil) : .cancelIdleTimer
    }

    /// A handler subscribed the client to notifications; the idle timeout no longer applies.
    mutating func streamingBegan() -> Action {
        isStreaming = true
        return .cancelIdleTimer
    }

    /// The server began its graceful shutdown.
    mutating func shutdownBegan() -> Action {
        switch phase {
        case .closed, .draining:
            return .none
        case .open, .inputClosed:
            phase = .draining
            return inFlight == 0 ? close(.shuttingDown) : .scheduleForceClose
        }
    }

    /// The connection must end now with `notice`: a line too long, the shutdown grace period
    /// over with requests still in flight, or a connection the server refuses.
    mutating func terminate(_ notice: CloseNotice) -> Action {
        phase == .closed ? .none : close(notice)
    }

    /// The channel closed, for whatever reason.
    mutating func channelClosed() {
        phase = .closed
    }

    private mutating func close(_ notice: CloseNotice?) -> Action {
        phase = .closed
        return .close(notice)
    }
}
