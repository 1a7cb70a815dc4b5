//! Confining what code under test may write, for `grade --submission`.
//!
//! A test runs with the rights of whoever grades. So that a student's code cannot
//! change the instructor's checkout, the runner's target folder (the compiled
//! dependencies, the runner itself) or another student's copy, each test process of a
//! trusted grading is confined with Landlock (Linux 5.13+, no privilege needed): it may
//! write only under the student's own copy, the run's log folder (libtest writes its
//! log there) and `/dev` (`/dev/null`); it may read and run anything. Where the kernel
//! offers Landlock's signal scope (6.12+), it may also not signal a process outside its
//! own sandbox, the runner among them (so it cannot stop the grader). Landlock also
//! forbids it to `ptrace` the runner.
//!
//! The rules are made once per run in the runner ([`Confinement::new`]); each test
//! process applies them between fork and exec ([`Confinement::apply`]), so they hold for
//! everything it starts. Where the kernel has no Landlock, [`Confinement::new`] says so
//! and grading goes on unconfined, with a note in the report.
//!
//! The kernel interface is three system calls and two structures, written out here from
//! `linux/landlock.h`: the `libc` crate has the call numbers but not the structures, and
//! a crate for it (`landlock`) would bring `enumflags2` and its proc macro.

use std::ffi::CString;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// `struct landlock_ruleset_attr`.
#[repr(C)]
struct RulesetAttr {
    handled_access_fs: u64,
    handled_access_net: u64,
    scoped: u64,
}

/// `struct landlock_path_beneath_attr` (packed in the kernel's header).
#[repr(C, packed)]
struct PathBeneath {
    allowed_access: u64,
    parent_fd: i32,
}

const CREATE_RULESET_VERSION: u32 = 1;
const RULE_PATH_BENEATH: u32 = 1;

const WRITE_FILE: u64 = 1 << 1;
const REMOVE_DIR: u64 = 1 << 4;
const REMOVE_FILE: u64 = 1 << 5;
/// `MAKE_CHAR` to `MAKE_SYM`: creating any kind of file.
const MAKE_ANY: u64 = 0b111_1111 << 6;
/// ABI 2: moving or linking a file into another folder.
const REFER: u64 = 1 << 13;
/// ABI 3: truncating a file.
const TRUNCATE: u64 = 1 << 14;
/// ABI 6: no signals to processes outside the sandbox.
const SCOPE_SIGNAL: u64 = 1 << 1;

/// A Landlock ruleset, ready for each test process to apply.
pub struct Confinement {
    ruleset: OwnedFd,
}

impl Confinement {
    /// Rules letting a process write only beneath `writable` (and write, not create,
    /// in `/dev`). `Err` says why there is no confinement (no Landlock in this kernel,
    /// or a folder that cannot be opened).
    pub fn new(writable: &[&Path]) -> Result<Confinement, String> {
        // SAFETY: with a null attribute and the VERSION flag, the call only returns
        // the ABI version (or an error).
        let abi = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                std::ptr::null::<RulesetAttr>(),
                0usize,
                CREATE_RULESET_VERSION,
            )
        };
        if abi < 1 {
            return Err(format!(
                "this kernel offers no Landlock ({})",
                std::io::Error::last_os_error()
            ));
        }
        let mut handled = WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_ANY;
        if abi >= 2 {
            handled |= REFER;
        }
        if abi >= 3 {
            handled |= TRUNCATE;
        }
        let attr = RulesetAttr {
            handled_access_fs: handled,
            handled_access_net: 0,
            scoped: if abi >= 6 { SCOPE_SIGNAL } else { 0 },
        };
        // An older kernel reads only the fields it knows, and refuses a larger struct
        // unless the rest is zero: pass the size of what this ABI has.
        let size = if abi >= 6 {
            std::mem::size_of::<RulesetAttr>()
        } else {
            std::mem::size_of::<u64>()
        };
        // SAFETY: the attribute is a valid struct of at least `size` bytes.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                &attr as *const RulesetAttr,
                size,
                0u32,
            )
        };
        if fd < 0 {
            return Err(format!(
                "Landlock refused the ruleset ({})",
                std::io::Error::last_os_error()
            ));
        }
        // SAFETY: the call returned a new file descriptor that nothing else owns.
        let ruleset = unsafe { OwnedFd::from_raw_fd(fd as RawFd) };
        for dir in writable {
            add_rule(&ruleset, dir, handled)?;
        }
        add_rule(
            &ruleset,
            Path::new("/dev"),
            handled & (WRITE_FILE | TRUNCATE),
        )?;
        Ok(Confinement { ruleset })
    }

    /// Confines the calling process (and what it starts) for good. Called between
    /// fork and exec: only async-signal-safe system calls on values made beforehand.
    pub fn apply(fd: RawFd) -> std::io::Result<()> {
        // SAFETY: prctl and the Landlock call only change this process's own rights.
        unsafe {
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1 as libc::c_ulong, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::syscall(libc::SYS_landlock_restrict_self, fd, 0u32) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        Ok(())
    }

    /// The ruleset's descriptor, for [`Confinement::apply`] in a child.
    pub fn fd(&self) -> RawFd {
        self.ruleset.as_raw_fd()
    }
}

fn add_rule(ruleset: &OwnedFd, dir: &Path, access: u64) -> Result<(), String> {
    let path = CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| format!("{} has a NUL byte in its name", dir.display()))?;
    // SAFETY: open with O_PATH only names the folder; the descriptor is closed below.
    let fd = unsafe { libc::open(path.as_ptr(), libc::O_PATH | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(format!(
            "opening {} for the sandbox's rules: {}",
            dir.display(),
            std::io::Error::last_os_error()
        ));
    }
    // SAFETY: `fd` was just opened and is owned here.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let rule = PathBeneath {
        allowed_access: access,
        parent_fd: fd.as_raw_fd(),
    };
    // SAFETY: the rule is a valid struct; both descriptors are open.
    let added = unsafe {
        libc::syscall(
            libc::SYS_landlock_add_rule,
            ruleset.as_raw_fd(),
            RULE_PATH_BENEATH,
            &rule as *const PathBeneath,
            0u32,
        )
    };
    if added != 0 {
        return Err(format!(
            "adding {} to the sandbox's rules: {}",
            dir.display(),
            std::io::Error::last_os_error()
        ));
    }
    Ok(())
}
