//! The suite of the processes kata (进程与进程间通信). It grades both `exercises/processes`
//! (the learner's code) and `solutions/processes` (the reference).
//!
//! Test names follow `exercises/processes/README.md`, "What the tests check": one module
//! per part of the task, so a failure names the function and the property that broke.
//!
//! Nothing a test starts may outlive it, on any path. Every command the suite hands to
//! the learner's code is wrapped (`common::Guard::command`) so that its process notes its
//! pid in the guard's folder and carries the guard's mark in its environment; the guard's
//! `Drop`, which runs on a failing assertion too, kills and reaps every such process that
//! is still a child of this one. Zombies are observed, never timed: `waitid` with
//! `WNOWAIT` waits for a child's exit without reaping it, and `/proc/<pid>/stat` then
//! shows it as `Z` until someone reaps it. Tests that change the whole process (SIGCHLD's
//! disposition) or count its children run again in a process of their own
//! (`support/child.rs`), where no other test runs beside them, and say so.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;

#[path = "support/within.rs"]
mod within;

#[path = "support/child.rs"]
mod child;

/// The pool's worker: this test binary run again as `<binary> --kata-pool-worker <notes>`.
///
/// It must answer on a clean stdout, and libtest prints `running 1 test` there before any
/// test runs, so the worker is not a test: this function runs before `main` (an entry of
/// `.init_array`, which the loader calls before the program starts), sees the flag in its
/// own command line, serves the learner's [`processes::serve`] on stdin and stdout, and
/// exits. In every other run of the binary it returns at once. A worker notes its pid in
/// `<notes>/<pid>` as it starts and, once `serve` has returned, appends `served <n>` (the
/// tasks it computed) and `done`, so a test can count the workers a pool started, see
/// which ended by themselves, and see that each one was given work.
#[used]
#[unsafe(link_section = ".init_array")]
static POOL_WORKER: extern "C" fn() = pool_worker;

/// The flag that makes a run of this binary a pool worker.
const WORKER_FLAG: &str = "--kata-pool-worker";

/// What a worker computes for a task: distinct for every task a test gives, so results
/// out of order show.
fn work(task: u64) -> u64 {
    task.wrapping_mul(task).wrapping_add(1)
}

/// The tasks this process computed as a pool worker (each worker is a process of its
/// own, so the count is that worker's).
static SERVED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// [`work`], counted: what a worker hands to the learner's `serve`.
fn counted_work(task: u64) -> u64 {
    SERVED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    work(task)
}

extern "C" fn pool_worker() {
    use std::io::Write;
    use std::os::unix::ffi::OsStrExt;

    let Ok(cmdline) = std::fs::read("/proc/self/cmdline") else {
        return;
    };
    let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
    if args.get(1).copied() != Some(WORKER_FLAG.as_bytes()) {
        return;
    }
    let Some(notes) = args.get(2) else {
        std::process::exit(2);
    };
    let note = std::path::Path::new(std::ffi::OsStr::from_bytes(notes))
        .join(std::process::id().to_string());
    if std::fs::write(&note, "started\n").is_err() {
        std::process::exit(3);
    }
    let served = processes::serve(
        counted_work,
        std::io::stdin().lock(),
        std::io::stdout().lock(),
    );
    if served.is_err() {
        std::process::exit(4);
    }
    let count = SERVED.load(std::sync::atomic::Ordering::Relaxed);
    let noted = std::fs::OpenOptions::new()
        .append(true)
        .open(&note)
        .and_then(|mut f| f.write_all(format!("served {count}\ndone\n").as_bytes()));
    std::process::exit(if noted.is_ok() { 0 } else { 5 });
}

mod common {
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use nix::sys::signal::{Signal, kill};
    use nix::sys::wait::{Id, WaitPidFlag, waitid, waitpid};
    use nix::unistd::Pid;

    /// This process's id.
    pub fn me() -> u32 {
        std::process::id()
    }

    /// A process's state letter (`R`, `S`, `Z`...) and its parent's pid, from
    /// `/proc/<pid>/stat`; `None` once it is gone (reaped).
    pub fn stat(pid: u32) -> Option<(char, u32)> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // `pid (name) S ppid ...`: the name may hold spaces and parentheses.
        let (_, rest) = text.rsplit_once(") ")?;
        let mut fields = rest.split(' ');
        let state = fields.next()?.chars().next()?;
        let ppid = fields.next()?.parse().ok()?;
        Some((state, ppid))
    }

    /// True while `pid` is a child of this process, running or a zombie: not reaped.
    pub fn is_our_child(pid: u32) -> bool {
        stat(pid).is_some_and(|(_, ppid)| ppid == me())
    }

    /// True when `pid` is a zombie child of this process: ended, not reaped.
    pub fn is_our_zombie(pid: u32) -> bool {
        stat(pid).is_some_and(|(state, ppid)| state == 'Z' && ppid == me())
    }

    /// Waits until the child `pid` has ended, without reaping it (`waitid` with
    /// `WNOWAIT`): afterwards it is a zombie until someone reaps it.
    pub fn wait_unreaped(pid: u32) {
        waitid(
            Id::Pid(Pid::from_raw(pid as i32)),
            WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT,
        )
        .unwrap_or_else(|e| panic!("waiting for the child {pid} to end (not reaping it): {e}"));
    }

    /// The children of this process (running or zombies), from `/proc`.
    pub fn our_children() -> Vec<u32> {
        let mut pids: Vec<u32> = std::fs::read_dir("/proc")
            .expect("read /proc")
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .filter(|&pid| is_our_child(pid))
            .collect();
        pids.sort_unstable();
        pids
    }

    /// For a test that checks what a child reads from an inherited stdin: in a normal
    /// run, runs `test` again in a process of its own whose stdin is a file holding a
    /// line, checks that it passed there, and returns false (the test is done); in that
    /// process, returns true (do the test's work).
    pub fn stdin_holds_a_line(test: &str) -> bool {
        if crate::child::role().as_deref() == Some("stdin") {
            return true;
        }
        let guard = Guard::new();
        let line = guard.dir().join("stdin");
        std::fs::write(&line, "a line the child must not see\n").expect("write the stdin file");
        let out = crate::child::run(test, "stdin", |cmd| {
            cmd.stdin(std::fs::File::open(&line).expect("open the stdin file"));
        });
        assert!(
            crate::child::passed(&out),
            "{}",
            crate::child::describe(&out)
        );
        false
    }

    /// Runs the test `test` (its full name) again in a process of its own, where no
    /// other test runs beside it, and checks that it passed there.
    pub fn alone(test: &str) {
        let out = crate::child::run(test, "alone", |_| {});
        assert!(
            crate::child::passed(&out),
            "{}",
            crate::child::describe(&out)
        );
    }

    /// True in the process of its own that [`alone`] started.
    pub fn in_own_process() -> bool {
        if crate::child::role().as_deref() == Some("alone") {
            // A child process whose work blocks for ever still ends: after the bound of
            // the one step that can time out (a failing test stops at its first), and
            // well before the kata's timeout (10 s), so its own message is read.
            crate::within::end_after(crate::within::BOUND + std::time::Duration::from_secs(2));
            true
        } else {
            false
        }
    }

    /// Kills and reaps `pid` if it is still a child of this process.
    pub fn kill_and_reap(pid: u32) {
        if is_our_child(pid) {
            let pid = Pid::from_raw(pid as i32);
            let _ = kill(pid, Signal::SIGKILL);
            // The learner's code may reap it first (its wait then returns): either way
            // it is reaped once.
            let _ = waitpid(pid, None);
        }
    }

    /// Where a test's processes note themselves, and the clean-up that runs on every
    /// path out of the test (a failing assertion included): its `Drop` kills and reaps
    /// every process that noted itself here, or carries its mark, and is still a child
    /// of this process.
    pub struct Guard {
        dir: PathBuf,
    }

    impl Guard {
        pub fn new() -> Guard {
            // Unique to the call: tests run on several threads of one process.
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "kata-processes-{}-{}",
                me(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("create a folder for the test's notes");
            Guard { dir }
        }

        pub fn dir(&self) -> &Path {
            &self.dir
        }

        /// `program args...`, run through `sh` so that its process first notes its pid
        /// here, then becomes the program (`exec` keeps the pid). Its environment carries
        /// the guard's mark too, for a process killed before it could note itself.
        pub fn command(&self, program: &str, args: &[&str]) -> Command {
            let mut cmd = Command::new("sh");
            cmd.arg("-c")
                .arg(r#": > "$KATA_GUARD/$$"; exec "$0" "$@""#)
                .arg(program)
                .args(args)
                .env("KATA_GUARD", &self.dir);
            cmd
        }

        /// The pids noted here so far.
        pub fn noted(&self) -> Vec<u32> {
            let mut pids: Vec<u32> = std::fs::read_dir(&self.dir)
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect();
            pids.sort_unstable();
            pids
        }

        /// The children of this process that belong to this guard (noted, or marked).
        pub fn children(&self) -> Vec<u32> {
            let mark = format!("KATA_GUARD={}", self.dir.display());
            let noted = self.noted();
            our_children()
                .into_iter()
                .filter(|&pid| {
                    noted.contains(&pid)
                        || std::fs::read(format!("/proc/{pid}/environ"))
                            .is_ok_and(|env| env.split(|&b| b == 0).any(|v| v == mark.as_bytes()))
                        || std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmd| {
                            // A pool worker names the folder on its command line.
                            cmd.split(|&b| b == 0)
                                .any(|a| a == self.dir.as_os_str().as_encoded_bytes())
                        })
                })
                .collect()
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            for pid in self.children() {
                kill_and_reap(pid);
            }
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

mod exit {
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;

    use quickcheck_macros::quickcheck;
    use rstest::rstest;

    use processes::{Exit, exit_of, run};

    #[rstest]
    #[case::success("true", &[], Exit::Code(0))]
    #[case::failure("false", &[], Exit::Code(1))]
    #[case::exit_code("sh", &["-c", "exit 7"], Exit::Code(7))]
    #[case::largest_code("sh", &["-c", "exit 255"], Exit::Code(255))]
    #[case::killed("sh", &["-c", "kill -KILL $$"], Exit::Signal(9))]
    #[case::terminated("sh", &["-c", "kill -TERM $$"], Exit::Signal(15))]
    fn examples(#[case] program: &str, #[case] args: &[&str], #[case] expected: Exit) {
        let exit = run(program, args).expect("the program starts");
        assert_eq!(
            exit,
            expected,
            "{}",
            say!(
                "`{program} {args:?}` ended as {exit:?}, not {expected:?} (a process killed by a signal has no exit code)",
                "`{program} {args:?}` 的结束方式是 {exit:?}，应为 {expected:?}（被信号杀死的进程没有退出码）",
            )
        );
    }

    /// The program's stdin is empty, not the test's: run in a process of its own whose
    /// stdin holds a line, which `read` would find if it were inherited.
    #[test]
    fn the_program_reads_nothing() {
        if !crate::common::stdin_holds_a_line("exit::the_program_reads_nothing") {
            return;
        }
        let exit =
            run("sh", &["-c", "if read line; then exit 1; else exit 0; fi"]).expect("sh starts");
        assert_eq!(
            exit,
            Exit::Code(0),
            "{}",
            say!(
                "the program read a line from this process's stdin: give it an empty stdin (Stdio::null())",
                "程序从本进程的 stdin 读到了一行：请给它一个空的 stdin（Stdio::null()）",
            )
        );
    }

    #[test]
    fn a_missing_program_is_an_error() {
        let err = run("/nonexistent/kata-no-such-program", &[]).expect_err(&say!(
            "running a program that does not exist must be an error",
            "运行不存在的程序必须返回错误"
        ));
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound, "{err}");
    }

    #[test]
    fn success_is_code_zero_only() {
        assert!(Exit::Code(0).success());
        assert!(!Exit::Code(1).success());
        assert!(!Exit::Signal(9).success());
    }

    /// A raw wait status holds either a code (in its second byte) or a signal (in its
    /// low seven bits): `exit_of` must tell them apart for every code and signal.
    #[quickcheck]
    fn statuses_by_code_and_signal(code: u8, signal: u8) -> bool {
        let signal = i32::from(signal % 64) + 1;
        exit_of(ExitStatus::from_raw(i32::from(code) << 8)) == Exit::Code(i32::from(code))
            && exit_of(ExitStatus::from_raw(signal)) == Exit::Signal(signal)
    }

    /// `sh -c "exit $n"` ends with code `n`, for every `n` a process can exit with.
    #[quickcheck]
    fn exit_codes_law(code: u8) -> bool {
        run("sh", &["-c", &format!("exit {code}")]).ok() == Some(Exit::Code(i32::from(code)))
    }
}

mod feed {
    use proptest::prelude::*;
    use rstest::rstest;

    use processes::{Exit, feed};

    use crate::common::Guard;
    use crate::within::{BOUND, within};

    const MIB: usize = 1 << 20;

    /// `len` bytes of every value, in a pattern a lost or repeated block would break.
    fn pattern(len: usize, seed: u8) -> Vec<u8> {
        (0..len)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) ^ (i >> 8) as u8)
            .collect()
    }

    fn deadlock() -> String {
        say!(
            "feeding a child while reading its output never finished: is all the input written before any output is read? The child stops writing once its stdout pipe is full (64 KiB), and then stops reading its stdin: write on one thread while this one reads",
            "向子进程写入并读取其输出始终没有结束：是不是先写完全部输入才开始读输出？子进程的 stdout 管道满（64 KiB）后它就不再写，于是也不再读 stdin：请在另一个线程里写入，同时在本线程读取",
        )
    }

    #[rstest]
    #[case::empty("cat", &[], b"", b"")]
    #[case::echoed("cat", &[], b"hello\n", b"hello\n")]
    #[case::counted("wc", &["-c"], b"12345", b"5\n")]
    #[case::translated("tr", &["a-z", "A-Z"], "管道 pipe".as_bytes(), "管道 PIPE".as_bytes())]
    fn examples(
        #[case] program: &str,
        #[case] args: &[&str],
        #[case] input: &'static [u8],
        #[case] expected: &'static [u8],
    ) {
        let guard = Guard::new();
        let command = guard.command(program, args);
        let (output, exit) =
            within(BOUND, &deadlock(), move || feed(command, input)).expect("feeding the child");
        assert_eq!(
            String::from_utf8_lossy(&output),
            String::from_utf8_lossy(expected),
            "{program} {args:?}"
        );
        assert_eq!(exit, Exit::Code(0));
    }

    #[test]
    fn a_mebibyte_through_cat() {
        let guard = Guard::new();
        let command = guard.command("cat", &[]);
        let input = pattern(MIB, 7);
        let expected = input.clone();
        let (output, exit) =
            within(BOUND, &deadlock(), move || feed(command, &input)).expect("feeding cat");
        assert_eq!(
            output.len(),
            MIB,
            "{}",
            say!("cat gave back another length", "cat 返回的长度不对")
        );
        assert!(
            output == expected,
            "{}",
            say!("cat gave back other bytes", "cat 返回的字节不对")
        );
        assert_eq!(exit, Exit::Code(0));
        assert!(
            guard.children().is_empty(),
            "{}",
            say!("the child was not reaped", "子进程没有被回收")
        );
    }

    #[test]
    fn reports_the_exit() {
        let guard = Guard::new();
        let command = guard.command("sh", &["-c", "cat; exit 4"]);
        let (output, exit) =
            within(BOUND, &deadlock(), move || feed(command, b"x")).expect("feeding sh");
        assert_eq!(output, b"x");
        assert_eq!(exit, Exit::Code(4));
        assert!(
            guard.children().is_empty(),
            "{}",
            say!("the child was not reaped", "子进程没有被回收")
        );
    }

    /// `head -c 10` reads a little and exits: the rest of the input has nowhere to go,
    /// which is the child's choice, not an error.
    #[test]
    fn a_child_that_stops_reading_is_not_an_error() {
        let guard = Guard::new();
        let command = guard.command("head", &["-c", "10"]);
        let input = pattern(MIB, 3);
        let expected = input[..10].to_vec();
        let (output, exit) = within(BOUND, &deadlock(), move || feed(command, &input))
            .unwrap_or_else(|e| {
                panic!(
                    "{}",
                    say!(
                        "a child that exits before reading all its input made `feed` fail ({e}): a broken pipe there is the child's choice",
                        "子进程没读完输入就退出，`feed` 因此出错（{e}）：这时的 broken pipe 是子进程自己的选择，不算错误",
                    )
                )
            });
        assert_eq!(output, expected);
        assert_eq!(exit, Exit::Code(0));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Any amount, from nothing to several pipe buffers, comes back whole.
        #[test]
        fn cat_gives_back_any_input(len in 0usize..400_000, seed in any::<u8>()) {
            let guard = Guard::new();
            let command = guard.command("cat", &[]);
            let input = pattern(len, seed);
            let expected = input.clone();
            let (output, exit) = within(BOUND, &deadlock(), move || feed(command, &input))
                .expect("feeding cat");
            prop_assert_eq!(output.len(), len);
            prop_assert!(output == expected, "{}", say!("cat gave back other bytes", "cat 返回的字节不对"));
            prop_assert_eq!(exit, Exit::Code(0));
        }
    }
}

mod pipeline {
    use std::io::ErrorKind;
    use std::process::Command;

    use processes::{Exit, pipeline};

    use crate::common::Guard;
    use crate::within::{BOUND, within};

    fn no_end() -> String {
        say!(
            "the pipeline's output never reached its end: does this process still hold a pipe's write end? A Command you keep holds the pipe it was given, and a reader sees the end of a pipe only once every write end is closed",
            "管道线的输出始终读不到结尾：本进程是否还握着某个管道的写端？留着的 Command 会一直持有交给它的管道端，只有所有写端都关闭后，读端才会读到结尾",
        )
    }

    fn run(stages: Vec<Command>) -> std::io::Result<(Vec<u8>, Vec<Exit>)> {
        within(BOUND, &no_end(), move || pipeline(stages))
    }

    #[test]
    fn one_stage() {
        let guard = Guard::new();
        let (output, exits) = run(vec![guard.command("echo", &["hi"])]).expect("echo hi");
        assert_eq!(output, b"hi\n");
        assert_eq!(exits, [Exit::Code(0)]);
    }

    /// `seq 1 1000 | grep 7 | wc -l`: the numbers up to 1000 with a 7 in them.
    #[test]
    fn three_stages() {
        let guard = Guard::new();
        let stages = vec![
            guard.command("seq", &["1", "1000"]),
            guard.command("grep", &["7"]),
            guard.command("wc", &["-l"]),
        ];
        let sevens = (1..=1000)
            .filter(|n: &u32| n.to_string().contains('7'))
            .count();
        let (output, exits) = run(stages).expect("seq | grep | wc");
        assert_eq!(String::from_utf8_lossy(&output).trim(), sevens.to_string());
        assert_eq!(exits, [Exit::Code(0); 3]);
        let left = guard.children();
        assert!(
            left.is_empty(),
            "{}",
            say!(
                "a stage was not reaped: {left:?}",
                "有阶段没有被回收：{left:?}",
            )
        );
    }

    /// The first stage reads an empty stdin, not the test's: run in a process of its
    /// own whose stdin holds a line, which a stage that inherits it would count.
    #[test]
    fn the_first_stage_reads_nothing() {
        if !crate::common::stdin_holds_a_line("pipeline::the_first_stage_reads_nothing") {
            return;
        }
        let guard = Guard::new();
        let stages = vec![guard.command("cat", &[]), guard.command("wc", &["-c"])];
        let (output, _) = run(stages).expect("cat | wc -c");
        let counted = String::from_utf8_lossy(&output).trim().to_string();
        assert_eq!(
            counted,
            "0",
            "{}",
            say!(
                "the first stage read {counted} bytes from this process's stdin: give it an empty stdin (Stdio::null())",
                "第一个阶段从本进程的 stdin 读到了 {counted} 个字节：请给它一个空的 stdin（Stdio::null()）",
            )
        );
    }

    #[test]
    fn a_mebibyte_through_four_stages() {
        let guard = Guard::new();
        let stages = vec![
            guard.command("head", &["-c", "1048576", "/dev/zero"]),
            guard.command("cat", &[]),
            guard.command("cat", &[]),
            guard.command("wc", &["-c"]),
        ];
        let (output, exits) = run(stages).expect("head | cat | cat | wc -c");
        assert_eq!(String::from_utf8_lossy(&output).trim(), "1048576");
        assert_eq!(exits, [Exit::Code(0); 4]);
    }

    /// The last stage prints a mebibyte, far more than a pipe holds (64 KiB): it ends
    /// only once someone reads its output.
    #[test]
    fn a_last_stage_that_prints_a_mebibyte() {
        let guard = Guard::new();
        let stages = vec![
            guard.command("head", &["-c", "1048576", "/dev/zero"]),
            guard.command("cat", &[]),
        ];
        let (output, exits) = within(
            BOUND,
            &say!(
                "the pipeline never finished when its last stage printed 1 MiB: is every stage waited for before the output is read? The last stage stops once its stdout pipe is full (64 KiB) and never ends: read its output to the end first, then wait",
                "最后一个阶段输出 1 MiB 时管道线始终没有结束：是不是先等待所有阶段、再读输出？最后一个阶段的 stdout 管道满（64 KiB）后它就停下，永远不会结束：请先把输出读到结尾，再等待",
            ),
            move || pipeline(stages),
        )
        .expect("head | cat");
        assert_eq!(
            output.len(),
            1 << 20,
            "{}",
            say!("the output's length", "输出的长度")
        );
        assert!(
            output.iter().all(|&b| b == 0),
            "{}",
            say!("the output holds only zeros", "输出应全是零字节")
        );
        assert_eq!(exits, [Exit::Code(0); 2]);
        let left = guard.children();
        assert!(
            left.is_empty(),
            "{}",
            say!(
                "a stage was not reaped: {left:?}",
                "有阶段没有被回收：{left:?}",
            )
        );
    }

    #[test]
    fn each_stage_exit_in_order() {
        let guard = Guard::new();
        let stages = vec![
            guard.command("sh", &["-c", "echo a; exit 3"]),
            guard.command("cat", &[]),
            guard.command("sh", &["-c", "cat; exit 5"]),
        ];
        let (output, exits) = run(stages).expect("the pipeline");
        assert_eq!(output, b"a\n");
        assert_eq!(exits, [Exit::Code(3), Exit::Code(0), Exit::Code(5)]);
    }

    #[test]
    fn no_stage_is_an_error() {
        let err = run(Vec::new()).expect_err(&say!(
            "an empty pipeline must be an error",
            "空的管道线必须返回错误"
        ));
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    }

    /// A stage that cannot start fails the pipeline, and the stages already started are
    /// stopped and reaped, not left running or as zombies.
    #[test]
    fn a_stage_that_cannot_start_leaves_nothing() {
        let guard = Guard::new();
        let stages = vec![
            guard.command("sleep", &["60"]),
            Command::new("/nonexistent/kata-no-such-program"),
            guard.command("cat", &[]),
        ];
        let err = run(stages).expect_err(&say!(
            "a stage that cannot start must fail the pipeline",
            "无法启动的阶段必须让管道线失败"
        ));
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
        let left = guard.children();
        assert!(
            left.is_empty(),
            "{}",
            say!(
                "after the failure, the stages already started still run or are zombies: {left:?}",
                "出错之后，已经启动的阶段仍在运行或成了僵尸进程：{left:?}",
            )
        );
    }
}

mod children {
    use std::process::{Command, Stdio};

    use processes::{Children, Exit};

    use crate::common::{Guard, is_our_child, is_our_zombie, wait_unreaped};
    use crate::within::{BOUND, within};

    /// A child that runs until the test lets it go: `cat` reading a pipe whose write end
    /// the test holds (dropping it ends the child).
    fn blocker(guard: &Guard) -> (Command, std::io::PipeWriter) {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        let mut cmd = guard.command("cat", &[]);
        cmd.stdin(reader).stdout(Stdio::null());
        (cmd, writer)
    }

    #[test]
    fn a_reaped_child_is_no_zombie() {
        let guard = Guard::new();
        let mut set = Children::new();
        assert!(
            set.is_empty(),
            "{}",
            say!("a new set holds no child", "新集合里没有子进程")
        );
        assert_eq!(
            set.len(),
            0,
            "{}",
            say!("a new set holds no child", "新集合里没有子进程")
        );
        let pid = set
            .spawn(&mut guard.command("true", &[]))
            .expect("spawn true");
        assert_eq!(set.len(), 1);
        assert!(
            !set.is_empty(),
            "{}",
            say!(
                "a set with a child in it is not empty",
                "有子进程的集合不是空的"
            )
        );
        wait_unreaped(pid);
        assert!(
            is_our_zombie(pid),
            "{}",
            say!(
                "an ended child nobody reaped should be a zombie",
                "已结束但没人回收的子进程应是僵尸进程"
            )
        );
        let reaped = set.reap().expect("reap");
        assert_eq!(reaped, [(pid, Exit::Code(0))]);
        assert!(
            !is_our_child(pid),
            "{}",
            say!(
                "`reap` reported {pid} but it is still a zombie: it must wait for it (try_wait)",
                "`reap` 报告了 {pid}，但它仍是僵尸进程：必须等待（try_wait）它",
            )
        );
        assert!(
            set.is_empty(),
            "{}",
            say!(
                "a reaped child must leave the set",
                "被回收的子进程必须离开集合"
            )
        );
    }

    #[test]
    fn reaps_every_ended_child() {
        let guard = Guard::new();
        let mut set = Children::new();
        let mut expected = Vec::new();
        for code in [0, 3, 7] {
            let script = format!("exit {code}");
            let pid = set
                .spawn(&mut guard.command("sh", &["-c", &script]))
                .expect("spawn sh");
            expected.push((pid, Exit::Code(code)));
        }
        for &(pid, _) in &expected {
            wait_unreaped(pid);
        }
        assert_eq!(
            set.len(),
            3,
            "{}",
            say!(
                "ended but not reaped, the children are still in the set",
                "已结束但尚未回收的子进程仍在集合里"
            )
        );
        let reaped = set.reap().expect("reap");
        assert_eq!(
            reaped,
            expected,
            "{}",
            say!(
                "three children had ended: `reap` must reap every one, in the order they were started",
                "三个子进程都已结束：`reap` 必须回收每一个，按启动顺序",
            )
        );
        let left = guard.children();
        assert!(
            left.is_empty(),
            "{}",
            say!("zombies left: {left:?}", "留下了僵尸进程：{left:?}")
        );
        assert_eq!(
            set.len(),
            0,
            "{}",
            say!(
                "reaped children must leave the set",
                "被回收的子进程必须离开集合"
            )
        );
    }

    #[test]
    fn reap_never_waits_for_a_running_child() {
        let guard = Guard::new();
        let mut set = Children::new();
        let (mut cmd, release) = blocker(&guard);
        let running = set.spawn(&mut cmd).expect("spawn the blocker");
        let quick = set
            .spawn(&mut guard.command("true", &[]))
            .expect("spawn true");
        wait_unreaped(quick);
        let (reaped, set) = within(
            BOUND,
            &say!(
                "`reap` waited for a child that is still running: it must only collect those that have ended (waitpid with WNOHANG: try_wait)",
                "`reap` 在等待一个仍在运行的子进程：它只能回收已经结束的（带 WNOHANG 的 waitpid：try_wait）",
            ),
            move || {
                let reaped = set.reap().expect("reap");
                (reaped, set)
            },
        );
        assert_eq!(reaped, [(quick, Exit::Code(0))]);
        assert!(
            is_our_child(running),
            "{}",
            say!(
                "the running child must be left running",
                "仍在运行的子进程必须保持运行"
            )
        );
        assert_eq!(
            set.len(),
            1,
            "{}",
            say!(
                "the running child stays in the set",
                "仍在运行的子进程留在集合里"
            )
        );
        drop(release);
        drop(set);
    }

    #[test]
    fn wait_all_reaps_everything() {
        let guard = Guard::new();
        let mut set = Children::new();
        let (mut cmd, release) = blocker(&guard);
        let first = set.spawn(&mut cmd).expect("spawn the blocker");
        let second = set
            .spawn(&mut guard.command("sh", &["-c", "exit 2"]))
            .expect("spawn sh");
        drop(release);
        let (all, set) = within(
            BOUND,
            &say!("wait_all never finished", "wait_all 始终没有结束"),
            move || {
                let all = set.wait_all().expect("wait_all");
                (all, set)
            },
        );
        assert_eq!(all, [(first, Exit::Code(0)), (second, Exit::Code(2))]);
        assert!(set.is_empty());
        assert!(
            guard.children().is_empty(),
            "{}",
            say!("a child was not reaped", "有子进程没有被回收")
        );
    }

    /// `Child` has no `Drop`: a set dropped with children still running must stop and
    /// reap them itself, or they run on and end as zombies.
    #[test]
    fn a_dropped_set_leaves_no_process() {
        let guard = Guard::new();
        let mut set = Children::new();
        let (mut first, _release_first) = blocker(&guard);
        let (mut second, _release_second) = blocker(&guard);
        set.spawn(&mut first).expect("spawn a blocker");
        set.spawn(&mut second).expect("spawn a blocker");
        within(
            BOUND,
            &say!(
                "dropping the set never finished",
                "丢弃集合始终没有结束：先 kill 每个子进程，再等待它"
            ),
            move || drop(set),
        );
        let left = guard.children();
        assert!(
            left.is_empty(),
            "{}",
            say!(
                "after the set was dropped, its children still run or are zombies: {left:?} (Child has no Drop: kill and wait for each in the set's Drop)",
                "集合被丢弃后，它的子进程仍在运行或成了僵尸：{left:?}（Child 没有 Drop：请在集合的 Drop 里 kill 并 wait 每一个）",
            )
        );
    }
}

mod fork {
    use nix::unistd::getpid;
    use quickcheck_macros::quickcheck;

    use processes::compute_in_child;

    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::common::is_our_child;
    use crate::within::{BOUND, within};

    /// `compute_in_child(compute, input)`, bounded: a child that never ends (it returned
    /// into the copy of the test harness instead of calling `_exit`, or blocked on a lock
    /// another thread held at the fork) fails the test with that named.
    ///
    /// A child that returns from `compute_in_child` instead would go on running the
    /// test's own code as a copy of this process: there it notes that it did, in a file
    /// opened before the fork (`write(2)`, nothing else), and ends; the test then fails
    /// with the mistake named.
    fn forked(compute: fn(u64) -> u64, input: u64) -> std::io::Result<u64> {
        // Unique to the call: tests run on several threads of one process.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let me = std::process::id();
        let note_path = std::env::temp_dir().join(format!(
            "kata-processes-fork-{me}-{}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let note = std::fs::File::create(&note_path).expect("create the note file");
        let answer = within(
            BOUND,
            &say!(
                "compute_in_child never returned: does the child end with _exit right after its write, and does the parent drop its copy of the write end before reading?",
                "compute_in_child 始终没有返回：子进程是否在 write 之后立即 _exit？父进程是否在读之前丢弃了自己的写端？",
            ),
            move || {
                let answer = compute_in_child(compute, input);
                if std::process::id() != me {
                    // The forked child, back in the test's code.
                    let _ = nix::unistd::write(&note, b"returned");
                    // SAFETY: `_exit` is async-signal-safe and never returns.
                    unsafe { nix::libc::_exit(0) }
                }
                answer
            },
        );
        let returned = std::fs::read(&note_path).unwrap_or_default();
        let _ = std::fs::remove_file(&note_path);
        assert!(
            returned.is_empty(),
            "{}",
            say!(
                "the forked child returned from compute_in_child and ran on in a copy of the test: end the child with _exit right after its write",
                "fork 出的子进程从 compute_in_child 返回，在测试的副本里继续运行：子进程写完之后应立即 _exit",
            )
        );
        answer
    }

    fn triple(x: u64) -> u64 {
        x.wrapping_mul(3)
    }

    fn own_pid(_: u64) -> u64 {
        // getpid(2) is async-signal-safe: fine in a forked child.
        getpid().as_raw() as u64
    }

    fn dies(code: u64) -> u64 {
        // SAFETY: `_exit` is async-signal-safe and never returns.
        unsafe { nix::libc::_exit(code as i32) }
    }

    /// The answer `compute_in_child` returns is what the forked child computed: three
    /// times the input (wrapping), for any input.
    #[quickcheck]
    fn answers_what_the_child_computed(x: u64) -> bool {
        forked(triple, x).ok() == Some(x.wrapping_mul(3))
    }

    #[test]
    fn computes_in_another_process_and_reaps_it() {
        let pid = forked(own_pid, 0).expect("compute in a child") as u32;
        assert_ne!(
            pid,
            std::process::id(),
            "{}",
            say!(
                "the computation ran in this process, not in a forked child",
                "计算是在本进程里做的，不是在 fork 出的子进程里",
            )
        );
        assert!(
            !is_our_child(pid),
            "{}",
            say!(
                "the forked child {pid} was not reaped (waitpid): it is left a zombie",
                "fork 出的子进程 {pid} 没有被回收（waitpid）：留下了僵尸进程",
            )
        );
    }

    #[test]
    fn a_child_that_dies_without_answering_is_an_error() {
        let err = forked(dies, 3).expect_err(&say!(
            "a child that exits before writing its answer must be an error",
            "子进程没有写出答案就退出，必须返回错误",
        ));
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{err}");
    }
}

/// These tests count this process's children (the first child of a double fork must be
/// reaped): each runs again in a process of its own (`support/child.rs`), where no other
/// test starts children beside it.
mod spawn_detached {
    use std::io::ErrorKind;
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Path, PathBuf};

    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;

    use processes::spawn_detached;

    use crate::common::{alone, in_own_process, me, our_children, stat};
    use crate::within::{BOUND, within};

    /// `spawn_detached(program, args)`, bounded: it must not wait for the program.
    fn detached(program: &'static str, args: Vec<String>) -> std::io::Result<u32> {
        within(
            BOUND,
            &say!(
                "spawn_detached never returned: does it wait for the program itself? Only the first child, which exits at once, is waited for",
                "spawn_detached 始终没有返回：它是不是在等待程序本身？只应等待立即退出的第一个子进程",
            ),
            move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                spawn_detached(Path::new(program), &args)
            },
        )
    }

    /// A program that runs until it is killed: `sh` notes its pid in a file, then
    /// becomes `sleep` (`exec` keeps the pid) with every standard stream on /dev/null,
    /// so it holds none of this process's pipes (a child process's output is read to
    /// its end by the test that started it). Its `Drop`, on every path out of the test,
    /// kills it by the pid `spawn_detached` returned and by the one it noted.
    struct Sleeper {
        note: PathBuf,
        returned: Option<u32>,
    }

    impl Sleeper {
        fn new() -> Sleeper {
            Sleeper {
                note: std::env::temp_dir().join(format!("kata-processes-detached-{}", me())),
                returned: None,
            }
        }

        /// The arguments for `/bin/sh`.
        fn args(&self) -> Vec<String> {
            vec![
                "-c".into(),
                r#"echo $$ > "$0"; exec /bin/sleep 30 < /dev/null > /dev/null 2>&1"#.into(),
                self.note.display().to_string(),
            ]
        }
    }

    impl Drop for Sleeper {
        fn drop(&mut self) {
            let noted = std::fs::read_to_string(&self.note)
                .ok()
                .and_then(|t| t.trim().parse().ok());
            for pid in [self.returned, noted].into_iter().flatten() {
                // Only this test's program, whatever pid the code under test returned:
                // `sh` naming the note, the `sleep` it became, or a child of this process.
                let ours = crate::common::is_our_child(pid)
                    || std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmd| {
                        cmd == b"/bin/sleep\x0030\x00"
                            || cmd
                                .split(|&b| b == 0)
                                .any(|a| a == self.note.as_os_str().as_bytes())
                    });
                // Never a pid of 0 or 1, or one that reads as negative: kill(2) would
                // take them for a process group, or every process. Its adopter (init, or
                // the runner) reaps it; a child of this process is reaped here.
                if let Some(target) = i32::try_from(pid)
                    .ok()
                    .filter(|&p| ours && p > 1 && p as u32 != me())
                {
                    let _ = kill(Pid::from_raw(target), Signal::SIGKILL);
                    crate::common::kill_and_reap(pid);
                }
            }
            let _ = std::fs::remove_file(&self.note);
        }
    }

    #[test]
    fn the_grandchild_is_no_child_and_no_zombie_is_left() {
        if !in_own_process() {
            return alone("spawn_detached::the_grandchild_is_no_child_and_no_zombie_is_left");
        }
        let mut sleeper = Sleeper::new();
        let pid = detached("/bin/sh", sleeper.args()).expect("spawn_detached");
        sleeper.returned = Some(pid);
        let state = stat(pid);
        let children = our_children();
        let (_, ppid) = state.unwrap_or_else(|| {
            panic!(
                "{}",
                say!(
                    "the pid {pid} that spawn_detached returned runs no process",
                    "spawn_detached 返回的 pid {pid} 没有对应的进程",
                )
            )
        });
        assert_ne!(
            ppid,
            me(),
            "{}",
            say!(
                "the program is a child of this process: fork twice, and let the first child exit so the grandchild is adopted",
                "程序是本进程的子进程：要 fork 两次，让第一个子进程退出，孙进程才会被收养",
            )
        );
        assert!(
            children.is_empty(),
            "{}",
            say!(
                "children of this process are left (the first child not reaped is a zombie): {children:?}",
                "本进程留下了子进程（没有回收的第一个子进程会成为僵尸）：{children:?}",
            )
        );
    }

    #[test]
    fn a_program_that_cannot_run_is_an_error() {
        if !in_own_process() {
            return alone("spawn_detached::a_program_that_cannot_run_is_an_error");
        }
        let err = detached("/nonexistent/kata-no-such-program", Vec::new()).expect_err(&say!(
            "a program that does not exist must be an error",
            "不存在的程序必须返回错误"
        ));
        assert_eq!(
            err.kind(),
            ErrorKind::NotFound,
            "{}",
            say!(
                "the grandchild's execv failed with ENOENT, which should come back as NotFound, not {err}",
                "孙进程的 execv 以 ENOENT 失败，应返回 NotFound，而不是 {err}",
            )
        );
        let children = our_children();
        assert!(
            children.is_empty(),
            "{}",
            say!(
                "children of this process are left (running or zombies): {children:?}",
                "本进程留下了子进程（运行中或僵尸）：{children:?}",
            )
        );
    }

    #[test]
    fn a_name_with_a_nul_byte_is_an_error() {
        let err = spawn_detached(Path::new("/bin/sleep"), &["one\0two"]).expect_err(&say!(
            "an argument with a NUL byte must be an error",
            "含 NUL 字节的参数必须返回错误"
        ));
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        let program = Path::new(std::ffi::OsStr::from_bytes(b"/bin/sl\0eep"));
        let err = spawn_detached(program, &["1"]).expect_err(&say!(
            "a program path with a NUL byte must be an error",
            "含 NUL 字节的程序路径必须返回错误"
        ));
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    }
}

/// SIGCHLD's disposition belongs to the whole process: these tests change it only in a
/// process of their own (`support/child.rs`), where no other test runs beside them.
mod ignore_children {
    use std::process::{Command, Stdio};

    use processes::ignore_children;

    use crate::child;
    use crate::common::{stat, wait_unreaped};

    #[test]
    fn ended_children_never_become_zombies() {
        if child::role().as_deref() == Some("ignoring") {
            ignore_children().expect("ignore SIGCHLD");
            // Never waited for through its handle: the kernel reaps it (that is the test).
            #[allow(clippy::zombie_processes)]
            let child = Command::new("true")
                .stdin(Stdio::null())
                .spawn()
                .expect("spawn true");
            let pid = child.id();
            // With SIGCHLD ignored, the kernel reaps the child as it ends: waiting for it
            // then fails (ECHILD) once it is gone, and nothing is left in /proc.
            let waited = nix::sys::wait::waitid(
                nix::sys::wait::Id::Pid(nix::unistd::Pid::from_raw(pid as i32)),
                nix::sys::wait::WaitPidFlag::WEXITED | nix::sys::wait::WaitPidFlag::WNOWAIT,
            );
            if waited.is_ok() {
                let zombie = stat(pid).is_some_and(|(state, _)| state == 'Z');
                // Reap it ourselves, so the failure leaves nothing behind.
                let _ = nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(pid as i32), None);
                panic!(
                    "{}",
                    say!(
                        "the child ended and stayed waitable (a zombie: {zombie}): SIGCHLD is not ignored (signal(SIGCHLD, SIG_IGN))",
                        "子进程结束后仍可被等待（僵尸：{zombie}）：SIGCHLD 没有被忽略（signal(SIGCHLD, SIG_IGN)）",
                    )
                );
            }
            assert!(
                stat(pid).is_none(),
                "{}",
                say!("the child is still in /proc", "子进程仍在 /proc 里")
            );
            return;
        }
        let out = child::run(
            "ignore_children::ended_children_never_become_zombies",
            "ignoring",
            |_| {},
        );
        assert!(child::passed(&out), "{}", child::describe(&out));
        // And in this process, whose SIGCHLD is untouched, an ended child stays a zombie.
        let child = Command::new("true").spawn().expect("spawn true");
        wait_unreaped(child.id());
        assert!(stat(child.id()).is_some_and(|(state, _)| state == 'Z'));
        let mut child = child;
        child.wait().expect("reap true");
    }
}

/// The pool's tests count this process's children and workers: each runs again in a
/// process of its own (`support/child.rs`), where no other test starts children beside
/// it. The workers are this binary run again (see `pool_worker` at the top).
mod pool {
    use std::io::ErrorKind;

    use processes::{Exit, Pool};

    use crate::common::{Guard, in_own_process, our_children};
    use crate::within::{BOUND, within};
    use crate::{WORKER_FLAG, work};

    fn alone(name: &str) {
        crate::common::alone(&format!("pool::{name}"));
    }

    fn close_never_finished() -> String {
        say!(
            "close never finished: drop every worker's stdin first (its `serve` then reads the end of its tasks and the worker exits), then wait for each",
            "close 始终没有结束：先丢弃每个 worker 的 stdin（它的 `serve` 读到任务的结尾后 worker 自行退出），再逐个等待",
        )
    }

    fn start(size: usize, guard: &Guard) -> Pool {
        let exe = std::env::current_exe().expect("the test binary's path");
        let notes = guard.dir().to_str().expect("a UTF-8 temp path").to_string();
        Pool::new(size, &exe, &[WORKER_FLAG, &notes]).expect("start the pool")
    }

    /// What each worker noted: its pid, whether it ended by itself (`done`), and how
    /// many tasks it computed (0 until it ended).
    fn notes(guard: &Guard) -> Vec<(u32, bool, u64)> {
        guard
            .noted()
            .into_iter()
            .map(|pid| {
                let text =
                    std::fs::read_to_string(guard.dir().join(pid.to_string())).unwrap_or_default();
                let served = text
                    .lines()
                    .find_map(|l| l.strip_prefix("served ")?.parse().ok())
                    .unwrap_or(0);
                (pid, text.contains("done"), served)
            })
            .collect()
    }

    /// The message for a `map` that never returned.
    fn never_answered() -> String {
        say!(
            "the pool never answered: does `map` flush each task it writes to a worker, and does `serve` flush each answer at once? A line left in a buffer on either side leaves the pool and the worker waiting on each other",
            "进程池始终没有给出结果：`map` 写给 worker 的每个任务都 flush 了吗？`serve` 的每个答案都立即 flush 了吗？任何一边有一行留在缓冲区里，进程池和 worker 就会互相等待",
        )
    }

    /// `serve` on its own, without processes: a line in, a line out, flushed.
    #[test]
    fn serve_answers_line_by_line() {
        let mut out = Vec::new();
        processes::serve(work, &b"3\n0\n18446744073709551615\n"[..], &mut out).expect("serve");
        let expected = format!("{}\n{}\n{}\n", work(3), work(0), work(u64::MAX));
        assert_eq!(String::from_utf8_lossy(&out), expected);
    }

    /// `serve` between two pipes, as in a worker: each answer must reach the pipe before
    /// `serve` waits for the next task, since the pool sends the next task only once it
    /// has read the answer.
    #[test]
    fn serve_answers_each_task_before_the_next() {
        use std::io::{BufRead, BufReader, Write};

        let (tasks_in, mut tasks) = std::io::pipe().expect("a pipe for the tasks");
        let (results, results_out) = std::io::pipe().expect("a pipe for the results");
        // Ends once `tasks` is closed, which unwinding does too if the test fails.
        let server = std::thread::spawn(move || {
            processes::serve(work, BufReader::new(tasks_in), results_out)
        });
        let mut results = BufReader::new(results);
        for task in [3, 18] {
            writeln!(tasks, "{task}").expect("write a task");
            let (line, back) = within(
                BOUND,
                &say!(
                    "`serve` was given the task {task} and its answer never came out of the pipe: flush each answer as soon as it is written (a BufWriter keeps it until it is full, while the pool waits for it)",
                    "`serve` 收到任务 {task} 后，答案始终没有从管道里出来：每写完一个答案就立即 flush（BufWriter 会一直留着它直到缓冲区满，而进程池正在等它）",
                ),
                move || {
                    let mut line = String::new();
                    let read = results.read_line(&mut line);
                    (read.map(|_| line), results)
                },
            );
            results = back;
            assert_eq!(line.expect("read an answer"), format!("{}\n", work(task)));
        }
        drop(tasks);
        let served = within(
            BOUND,
            &say!(
                "`serve` did not return once its tasks had ended: stop at the end of `tasks.lines()`",
                "任务结束后 `serve` 没有返回：读到 `tasks.lines()` 的结尾就应停止",
            ),
            move || server.join(),
        );
        served
            .expect("serve panicked")
            .expect("serve ends without an error at the end of its tasks");
    }

    #[test]
    fn serve_refuses_a_line_that_is_no_task() {
        let mut out = Vec::new();
        let err = processes::serve(work, &b"4\nfour\n"[..], &mut out).expect_err(&say!(
            "a line that is not a number must be an error",
            "不是数字的一行必须返回错误"
        ));
        assert_eq!(err.kind(), ErrorKind::InvalidData, "{err}");
        assert_eq!(String::from_utf8_lossy(&out), format!("{}\n", work(4)));
    }

    #[test]
    fn no_worker_is_an_error() {
        let exe = std::env::current_exe().expect("the test binary's path");
        let err = Pool::new(0, &exe, &[]).expect_err(&say!(
            "a pool of no worker must be an error",
            "没有 worker 的进程池必须返回错误"
        ));
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    }

    #[test]
    fn maps_a_hundred_tasks_on_four_workers() {
        if !in_own_process() {
            return alone("maps_a_hundred_tasks_on_four_workers");
        }
        let guard = Guard::new();
        let pool = start(4, &guard);
        assert_eq!(pool.size(), 4);
        let tasks: Vec<u64> = (0..100).collect();
        let expected: Vec<u64> = tasks.iter().map(|&t| work(t)).collect();
        let (results, pool) = within(BOUND, &never_answered(), move || {
            let mut pool = pool;
            let results = pool.map(&tasks).expect("map");
            (results, pool)
        });
        assert_eq!(
            results,
            expected,
            "{}",
            say!(
                "the results are not in the tasks' order (are they collected worker by worker?)",
                "结果没有按任务的顺序排列（是不是按 worker 分组收集的？）",
            )
        );
        let mut pids = pool.pids();
        pids.sort_unstable();
        let exits =
            within(BOUND, &close_never_finished(), move || pool.close()).expect("close the pool");
        // Counted once every worker has ended: a worker notes itself as it starts, which
        // a worker never given a task may not have done before.
        let started = notes(&guard).len();
        assert_eq!(
            started,
            4,
            "{}",
            say!(
                "{started} worker processes were started for a pool of 4: start each worker once and give it many tasks",
                "大小为 4 的进程池启动了 {started} 个 worker 进程：每个 worker 只应启动一次并处理多个任务",
            )
        );
        let noted = guard.noted();
        assert_eq!(
            pids,
            noted,
            "{}",
            say!(
                "`pids` must give the pids of the workers that served the tasks",
                "`pids` 应给出处理这些任务的 worker 的 pid",
            )
        );
        assert_eq!(
            exits,
            [Exit::Code(0); 4],
            "{}",
            say!(
                "every worker should end by itself with code 0 once its stdin is closed (were they killed?)",
                "关闭 stdin 后每个 worker 都应自行以退出码 0 结束（是不是被 kill 了？）",
            )
        );
        let notes = notes(&guard);
        assert!(
            notes.iter().all(|&(_, done, _)| done),
            "{}",
            say!(
                "a worker did not finish serving (pid, done, tasks served): {notes:?}",
                "有 worker 没有正常处理完（pid、是否完成、处理的任务数）：{notes:?}",
            )
        );
        // 100 tasks on 4 workers: a pool that shares the work gives each worker some.
        let idle: Vec<u32> = notes
            .iter()
            .filter(|&&(_, _, served)| served == 0)
            .map(|&(pid, _, _)| pid)
            .collect();
        assert!(
            idle.is_empty(),
            "{}",
            say!(
                "of 100 tasks, the workers {idle:?} computed none (pid, done, tasks served: {notes:?}): give each round's tasks one to each worker, so every worker works",
                "100 个任务中，worker {idle:?} 一个也没有处理（pid、是否完成、处理的任务数：{notes:?}）：每一轮把任务分给每个 worker 各一个，让每个 worker 都干活",
            )
        );
        let left = our_children();
        assert!(
            left.is_empty(),
            "{}",
            say!(
                "after close, children of this process remain (running or zombies): {left:?}",
                "close 之后本进程仍有子进程（运行中或僵尸）：{left:?}",
            )
        );
    }

    #[test]
    fn maps_again_and_maps_nothing() {
        if !in_own_process() {
            return alone("maps_again_and_maps_nothing");
        }
        let guard = Guard::new();
        let pool = start(3, &guard);
        let (first, second, empty, pool) = within(BOUND, &never_answered(), move || {
            let mut pool = pool;
            let first = pool.map(&[5, 6]).expect("map two tasks");
            let second = pool.map(&[1, 2, 3, 4, 5, 6, 7]).expect("map seven tasks");
            let empty = pool.map(&[]).expect("map no task");
            (first, second, empty, pool)
        });
        assert_eq!(
            first,
            [work(5), work(6)],
            "{}",
            say!(
                "two tasks on a pool of 3 workers",
                "大小为 3 的进程池上的两个任务",
            )
        );
        assert_eq!(
            second,
            (1..=7).map(work).collect::<Vec<_>>(),
            "{}",
            say!(
                "a second map on the same pool: seven tasks, in their order (is an answer of the first map left unread?)",
                "同一个进程池上的第二次 map：七个任务，按顺序（第一次 map 的答案是不是有没读的？）",
            )
        );
        assert!(
            empty.is_empty(),
            "{}",
            say!(
                "a map of no task gives no result",
                "没有任务的 map 不应有结果"
            )
        );
        let exits = within(BOUND, &close_never_finished(), move || pool.close()).expect("close");
        assert_eq!(
            exits,
            [Exit::Code(0); 3],
            "{}",
            say!(
                "every worker should end by itself with code 0 once its stdin is closed (were they killed?)",
                "关闭 stdin 后每个 worker 都应自行以退出码 0 结束（是不是被 kill 了？）",
            )
        );
        let started = notes(&guard).len();
        assert_eq!(
            started,
            3,
            "{}",
            say!(
                "a pool of 3 started {started} worker processes over three maps: start the workers once, in `new`",
                "大小为 3 的进程池在三次 map 中启动了 {started} 个 worker 进程：worker 只应在 `new` 里启动一次",
            )
        );
        let left = our_children();
        assert!(
            left.is_empty(),
            "{}",
            say!(
                "after close, children of this process remain (running or zombies): {left:?}",
                "close 之后本进程仍有子进程（运行中或僵尸）：{left:?}",
            )
        );
    }

    #[test]
    fn a_dropped_pool_leaves_no_worker() {
        if !in_own_process() {
            return alone("a_dropped_pool_leaves_no_worker");
        }
        let guard = Guard::new();
        let pool = start(2, &guard);
        within(
            BOUND,
            &say!(
                "dropping the pool never finished: kill each worker before waiting for it",
                "丢弃进程池始终没有结束：先 kill 每个 worker，再等待它",
            ),
            move || drop(pool),
        );
        let left = our_children();
        assert!(
            left.is_empty(),
            "{}",
            say!(
                "a pool dropped without close left workers running or as zombies: {left:?}",
                "未 close 就被丢弃的进程池留下了运行中或僵尸的 worker：{left:?}",
            )
        );
    }
}
