//! The environment of every program that runs a learner's code: what cargo would give a
//! test, minus what could weaken a suite or forge a result.

use std::path::Path;
use std::process::Command;

/// The environment cargo would give a test, minus anything a learner could set to
/// weaken the suite (fewer proptest cases, insta forced to pass).
pub fn set_test_env(cmd: &mut Command, repo_root: &Path) {
    strip_ci_env(cmd);
    for (key, _) in std::env::vars_os() {
        let key_text = key.to_string_lossy();
        if ["PROPTEST_", "QUICKCHECK_", "INSTA_", "RUST_TEST_"]
            .iter()
            .any(|prefix| key_text.starts_with(prefix))
        {
            cmd.env_remove(&key);
        }
    }
    cmd.env("RUST_BACKTRACE", "0")
        .env("INSTA_UPDATE", "no")
        .env("INSTA_WORKSPACE_ROOT", repo_root)
        .env("PROPTEST_DISABLE_FAILURE_PERSISTENCE", "1")
        .env("NO_COLOR", "1")
        // glibc gives each new thread an arena of up to 64 MiB of address space (eight
        // per core): a suite that starts many threads would reach the address-space cap
        // by arenas alone, and a thread's start fail with EAGAIN. Two arenas are plenty.
        .env("MALLOC_ARENA_MAX", "2")
        // The suites' own explanations (`say!`) in the learner's language.
        .env(
            crate::engine::lang::TEST_VARIABLE,
            crate::engine::lang::current().code(),
        );
}

/// Prefixes of the variables a CI service gives its jobs: GitHub Actions' paths to the
/// step's output and summary files (`GITHUB_OUTPUT`, where the classroom result is
/// handed on), its tokens (`ACTIONS_RUNTIME_TOKEN`, `ACTIONS_ID_TOKEN_REQUEST_*`) and
/// the runner's own. Code under test needs none of them and could forge a result with
/// the first.
const CI_PREFIXES: [&str; 3] = ["GITHUB_", "RUNNER_", "ACTIONS_"];

/// Leaves the CI service's variables out of a command's environment: the tests, and any
/// other program that runs a learner's code (the benchmarks).
pub fn strip_ci_env(cmd: &mut Command) {
    for (key, _) in std::env::vars_os() {
        let text = key.to_string_lossy();
        if CI_PREFIXES.iter().any(|prefix| text.starts_with(prefix)) {
            cmd.env_remove(&key);
        }
    }
}
