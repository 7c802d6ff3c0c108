import Foundation
import Secp256k1

/// The daemon's 32-byte seed: created on first start with mode 0600, never logged, never returned.
/// Every key the daemon holds (node identity, per-account proof keys) derives from it.
enum SeedFile {
    /// Reads the seed at `path`, creating it when missing. Refuses a seed that group or others can read.
    static func loadOrCreate(at path: String) throws(StartRefusal) -> [UInt8] {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            var seed = SecureRandom.bytes(count: 32)
            defer { seed.wipe() }
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else { throw StartRefusal("cannot create the seed file \(path)") }
            defer { close(descriptor) }
            guard write(descriptor, seed, 32) == 32, fsync(descriptor) == 0 else {
                throw StartRefusal("cannot write the seed file \(path)")
            }
        }
        var status = stat()
        guard stat(path, &status) == 0 else { throw StartRefusal("cannot read the seed file \(path)") }
        guard status.st_mode & 0o077 == 0 else {
            throw StartRefusal("the seed file \(path) is readable by other users; run chmod 600 on it")
        }
        guard let data = manager.contents(atPath: path), data.count == 32 else {
            throw StartRefusal("the seed file \(path) is not 32 bytes")
        }
        return [UInt8](data)
    }
}
