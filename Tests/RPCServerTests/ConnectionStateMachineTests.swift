import Testing

@testable import RPCServer

@Suite struct ConnectionStateMachineTests {
    @Test func admitsUpToTheInFlightLimit() {
        var state = ConnectionStateMachine(maxInFlight: 2)
        #expect(state.admitRequest() == .dispatch)
        #expect(state.admitRequest() == .dispatch)
        #expect(state.admitRequest() == .overloaded)
        #expect(state.requestsCompleted(1) == .none)
        #expect(state.admitRequest() == .dispatch)
        #expect(state.requestsCompleted(2) == .armIdleTimer)
        #expect(state.isIdle)
    }

    @Test func immediateRequestsPassTheInFlightLimitButNotShutdown() {
        var state = ConnectionStateMachine(maxInFlight: 1)
        #expect(state.admitRequest() == .dispatch)
        #expect(state.admitRequest() == .overloaded)
        #expect(state.admitRequest(immediately: true) == .dispatch)
        #expect(state.requestsCompleted(1) == .none)
        #expect(state.shutdownBegan() == .scheduleForceClose)
        #expect(state.admitRequest(immediately: true) == .shuttingDown)
    }

    @Test func idleTimeoutOnlyWhenNothingHappens() {
        var state = ConnectionStateMachine(maxInFlight: 4)
        #expect(state.bytesReceived() == .armIdleTimer)
        _ = state.admitRequest()
        #expect(!state.isIdle)
        #expect(state.bytesReceived() == .none)
        #expect(state.idleTimerFired() == .none)
        #expect(state.requestsCompleted(1) == .armIdleTimer)
        #expect(state.idleTimerFired() == .close(.idleTimeout))
        #expect(state.phase == .closed)
        #expect(state.admitRequest() == .closed)
    }

    @Test func streamingConnectionsAreNeverIdle() {
        var state = ConnectionStateMachine(maxInFlight: 4)
        _ = state.admitRequest()
        #expect(state.streamingBegan() == .cancelIdleTimer)
        #expect(state.requestsCompleted(1) == .none)
        #expect(state.idleTimerFired() == .none)
        #expect(state.bytesReceived() == .none)
    }

    @Test func halfClosedInputClosesOnceRepliesAreWritten() {
        var state = ConnectionStateMachine(maxInFlight: 4)
        _ = state.admitRequest()
        #expect(state.inputEnded() == .cancelIdleTimer)
        #expect(state.phase == .inputClosed)
        #expect(state.requestsCompleted(1) == .close(nil))

        var idle = ConnectionStateMachine(maxInFlight: 4)
        #expect(idle.inputEnded() == .close(nil))
    }

    @Test func shutdownDrainsInFlightRequests() {
        var state = ConnectionStateMachine(maxInFlight: 4)
        _ = state.admitRequest()
        #expect(state.shutdownBegan() == .scheduleForceClose)
        #expect(state.admitRequest() == .shuttingDown)
        #expect(state.shutdownBegan() == .none)
        #expect(state.requestsCompleted(1) == .close(.shuttingDown))

        var idle = ConnectionStateMachine(maxInFlight: 4)
        #expect(idle.shutdownBegan() == .close(.shuttingDown))

        var stuck = ConnectionStateMachine(maxInFlight: 4)
        _ = stuck.admitRequest()
        _ = stuck.shutdownBegan()
        #expect(stuck.terminate(.shuttingDown) == .close(.shuttingDown))
        #expect(stuck.terminate(.shuttingDown) == .none)
    }

    @Test func closedConnectionsIgnoreEverything() {
        var state = ConnectionStateMachine(maxInFlight: 4)
        _ = state.admitRequest()
        state.channelClosed()
        #expect(state.requestsCompleted(1) == .none)
        #expect(state.shutdownBegan() == .none)
        #expect(state.inputEnded() == .none)
        #expect(state.terminate(.requestTooLarge) == .none)
    }
}
