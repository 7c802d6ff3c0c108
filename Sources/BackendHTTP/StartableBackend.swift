import Lightning

/// A backend that checks its node or wallet (credentials, network) in ``start()`` before it is used, and holds
/// connections that ``LightningBackend/shutdown()`` releases.
package protocol StartableBackend: LightningBackend {
    /// Checks the node or wallet; throws what keeps the backend from being used.
    func start() async throws(BackendError)
}

extension StartableBackend {
    /// The backend, started: when ``start()`` fails, the backend is shut down again (its connections closed)
    /// and the error rethrown. What each backend's `connect(configuration:logger:)` does after `init`.
    package func started() async throws(BackendError) -> Self {
        do {
            try await start()
        } catch {
            await shutdown()
            throw error
        }
        return self
    }
}
