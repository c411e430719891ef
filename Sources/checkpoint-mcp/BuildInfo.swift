/// The commit this binary was built from, for `--version`.
///
/// `scripts/build-release` writes `BuildStamp.swift` beside this file (ignored by git) with the commit
/// and builds with `-DCHECKPOINT_BUILD_STAMP`, which switches this fallback off. Any other build (debug,
/// a plain `swift build`, a source tarball without git) says "unknown" rather than guessing.
#if !CHECKPOINT_BUILD_STAMP
let buildCommit = "unknown"
#endif
