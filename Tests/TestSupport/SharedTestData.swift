import Foundation

/// The project's `../shared/testdata` folder (beside the repository), found relative to this source file.
public func sharedTestData(_ relativePath: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/testdata/\(relativePath)").standardizedFileURL
}
