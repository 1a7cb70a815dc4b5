//! `hint` answers for what the last check showed failing first, end to end on a copy
//! of the fixture repository: `check`, then `hint` again and again, in English and in
//! Chinese. The demo kata's suite is rewritten in the copy into modules, so the first
//! failing test has a group path (`doubling::examples`) and the hints are tagged by
//! module, as a kata's are.

mod common;

use std::fs;
use std::process::Output;

use common::{Fixture, stdout};

/// The demo kata's suite in modules: `sums` passes, `doubling` fails (the stub's
/// `double` triples), `later` stops at a `todo!()`.
const SUITE: &str = r#"
mod sums {
    #[test]
    fn add_passes() {
        assert_eq!(demo::add(2, 3), 5);
    }
}

mod doubling {
    mod examples {
        #[test]
        fn four() {
            assert_eq!(demo::double(4), 8);
        }
    }

    #[test]
    fn any_small_number() {
        for x in 0..10 {
            assert_eq!(demo::double(x), 2 * x);
        }
    }
}

mod later {
    #[test]
    fn is_todo() {
        assert_eq!(demo::later(1), 2);
    }
}
"#;

const README: &str = "# demo (测试)\n\nThe fixture's kata.\n\n## Hints\n\n\
    1. (`later`) Write `later`.\n\
    2. (`sums`) Add the two numbers.\n\
    3. (`doubling`) Doubling is times two.\n\
    4. (`examples`) Work the example by hand.\n";

const README_ZH: &str = "# demo（测试）\n\n测试用的练习。\n\n## 提示\n\n\
    1. (`later`) 写出 `later`。\n\
    2. (`sums`) 把两个数加起来。\n\
    3. (`doubling`) 加倍就是乘以二。\n\
    4. (`examples`) 手算一遍这个例子。\n";

fn with_locale(fixture: &Fixture, args: &[&str], lang: Option<&str>) -> Output {
    let mut cmd = common::fixture_command(&fixture.dir, args);
    if let Some(lang) = lang {
        cmd.env("LANG", lang);
    }
    cmd.output().expect("the xtask binary runs")
}

fn fixture() -> Fixture {
    let fixture = Fixture::new("hint-groups");
    fs::write(fixture.path("tests/demo.rs"), SUITE).unwrap();
    fs::write(fixture.path("exercises/demo/README.md"), README).unwrap();
    fs::write(fixture.path("exercises/demo/README.zh.md"), README_ZH).unwrap();
    fixture
}

#[test]
fn hint_follows_the_first_failing_tests_group_in_both_languages() {
    let fixture = fixture();
    let check = stdout(&fixture.xtask(&["check", "demo"]));
    assert!(
        check.contains("Next: fix `doubling::examples::four`, the first failing test above."),
        "{check}"
    );

    // The first hint tagged with a module of `doubling::examples`, in the README's order:
    // not hint 1 or 2, whatever is unseen.
    let first = stdout(&fixture.xtask(&["hint", "demo"]));
    assert!(
        first.starts_with("Hint 3 of 4 for demo (测试):\n(`doubling`) Doubling is times two."),
        "{first}"
    );
    assert!(
        first.contains("3 more. Ask again for the next one"),
        "{first}"
    );
    let second = stdout(&fixture.xtask(&["hint", "demo"]));
    assert!(
        second.starts_with("Hint 4 of 4 for demo (测试):\n(`examples`)"),
        "{second}"
    );
    // Every hint for the group seen: it says so, names them, and gives the next in order.
    let third = stdout(&fixture.xtask(&["hint", "demo"]));
    assert!(
        third.starts_with(
            "You have seen every hint about `doubling::examples`, where your last check failed \
             first (hint 3, 4; `cargo xtask hint demo --all` shows them again). Here is the \
             next one in order.\n\nHint 1 of 4 for demo (测试):\n(`later`)"
        ),
        "{third}"
    );

    // A new learner, in Chinese: the same routing, the Chinese hints.
    fs::remove_file(fixture.path(".kata-progress.json")).unwrap();
    let zh = Some("zh_CN.UTF-8");
    let check = stdout(&with_locale(&fixture, &["check", "demo"], zh));
    assert!(
        check.contains("下一步：先修好上面第一个失败的测试 `doubling::examples::four`。"),
        "{check}"
    );
    let first = stdout(&with_locale(&fixture, &["hint", "demo"], zh));
    assert!(
        first.starts_with("demo (测试) 的提示 3/4：\n(`doubling`) 加倍就是乘以二。"),
        "{first}"
    );

    // `double` fixed: only `todo!()`s fail, and the hint is for the first function not
    // written yet, by its tag.
    let stub = fixture.path("exercises/demo/src/lib.rs");
    let code = fs::read_to_string(&stub).unwrap();
    fs::write(&stub, code.replacen("x * 3", "x * 2", 1)).unwrap();
    let check = stdout(&fixture.xtask(&["check", "demo"]));
    assert!(
        check.contains("later      is not implemented yet"),
        "{check}"
    );
    let next = stdout(&fixture.xtask(&["hint", "demo"]));
    assert!(
        next.starts_with("Hint 1 of 4 for demo (测试):\n(`later`) Write `later`."),
        "{next}"
    );
}
