//! The suite of the recursion kata (递归). It grades both `exercises/recursion` (your
//! code) and `solutions/recursion` (the reference): both crates name this file as their
//! test.
//!
//! Test names follow `exercises/recursion/README.md`, "What the tests check": every
//! function has its own module (`hanoi::...`, `fibonacci::...`, `walk::...`), so a
//! failure names the function and the property that broke.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

#[macro_use]
#[path = "support/lang.rs"]
mod lang;

#[cfg(unix)]
#[path = "support/child.rs"]
mod child;

use proptest::prelude::*;
use quickcheck_macros::quickcheck;
use recursion::*;
use rstest::rstest;

/// Tower of Hanoi (汉诺塔).
mod hanoi {
    use super::*;

    fn peg_index(peg: Peg) -> usize {
        match peg {
            Peg::A => 0,
            Peg::B => 1,
            Peg::C => 2,
        }
    }

    /// Plays `moves` on real pegs and panics, naming the first bad move, unless they
    /// carry all `disks` disks from `from` to `to` legally in 2^disks − 1 moves.
    #[track_caller]
    pub fn check_solution(disks: u32, from: Peg, to: Peg, moves: &[Move]) {
        // Disks are numbered by size, 1 the smallest; each peg lists bottom to top.
        let mut pegs: [Vec<u32>; 3] = Default::default();
        pegs[peg_index(from)] = (1..=disks).rev().collect();
        for (i, &(src, dst)) in moves.iter().enumerate() {
            let number = i + 1;
            assert_ne!(
                src,
                dst,
                "{}",
                say!(
                    "move #{number} goes from peg {src} to the same peg {dst}",
                    "第 {number} 步从柱 {src} 移到同一根柱 {dst}"
                )
            );
            let Some(disk) = pegs[peg_index(src)].pop() else {
                panic!(
                    "{}",
                    say!(
                        "move #{number} ({src} -> {dst}) takes a disk from peg {src}, which is empty",
                        "第 {number} 步（{src} -> {dst}）从柱 {src} 拿盘子，但它是空的"
                    )
                );
            };
            if let Some(&top) = pegs[peg_index(dst)].last() {
                assert!(
                    top > disk,
                    "{}",
                    say!(
                        "move #{number} ({src} -> {dst}) puts disk {disk} on the smaller disk {top} \
                         (disks are numbered by size, 1 is the smallest)",
                        "第 {number} 步（{src} -> {dst}）把盘子 {disk} 放在了更小的盘子 {top} 上（盘子按大小编号，1 最小）"
                    )
                );
            }
            pegs[peg_index(dst)].push(disk);
        }
        let expected: Vec<u32> = (1..=disks).rev().collect();
        assert!(
            pegs[peg_index(to)] == expected,
            "{}",
            say!(
                "after all {} moves the pegs hold A: {:?}, B: {:?}, C: {:?} (bottom to top); \
                 all {disks} disks should be on peg {to}",
                "走完全部 {} 步后，各柱上是 A：{:?}，B：{:?}，C：{:?}（从下到上）；{disks} 个盘子应该都在柱 {to} 上",
                moves.len(),
                pegs[0],
                pegs[1],
                pegs[2]
            )
        );
        let shortest = (1usize << disks) - 1;
        assert_eq!(
            moves.len(),
            shortest,
            "{}",
            say!(
                "the moves are legal, but {disks} disks need exactly 2^{disks} - 1 = {shortest} \
                 moves and you made {}",
                "每一步都合法，但 {disks} 个盘子的汉诺塔正好需要 2^{disks} - 1 = {shortest} 步，你走了 {} 步",
                moves.len()
            )
        );
    }

    fn solve(disks: u32, from: Peg, to: Peg) -> Vec<Move> {
        match hanoi(disks, from, to) {
            Ok(moves) => moves,
            Err(e) => {
                panic!(
                    "{}",
                    say!(
                        "hanoi({disks}, {from}, {to}) returned the error \"{e}\"; expected moves",
                        "hanoi({disks}, {from}, {to}) 返回了错误“{e}”；应该返回移动步骤"
                    )
                )
            }
        }
    }

    #[rstest]
    #[case::no_disks(0)]
    #[case::one_disk(1)]
    #[case::two_disks(2)]
    #[case::three_disks(3)]
    #[case::four_disks(4)]
    #[case::ten_disks(10)]
    fn examples(#[case] disks: u32) {
        let moves = solve(disks, Peg::A, Peg::C);
        check_solution(disks, Peg::A, Peg::C, &moves);
    }

    #[test]
    fn one_disk_is_one_move() {
        assert_eq!(
            solve(1, Peg::B, Peg::A),
            vec![(Peg::B, Peg::A)],
            "{}",
            say!(
                "one disk goes straight from the source to the target",
                "一个盘子直接从起始柱移到目标柱"
            )
        );
    }

    #[test]
    fn moves_for_3_disks_snapshot() {
        let moves = solve(3, Peg::A, Peg::C);
        let text: Vec<String> = moves.iter().map(|(f, t)| format!("{f} -> {t}")).collect();
        // The shortest solution is unique, so every correct answer prints this.
        insta::assert_snapshot!("moves_for_3_disks", text.join("\n"));
    }

    #[test]
    fn solves_max_disks() {
        let moves = solve(MAX_DISKS, Peg::C, Peg::B);
        check_solution(MAX_DISKS, Peg::C, Peg::B, &moves);
    }

    #[test]
    fn refuses_the_same_peg() {
        for peg in Peg::ALL {
            for disks in [0, 3, MAX_DISKS + 1] {
                assert_eq!(
                    hanoi(disks, peg, peg),
                    Err(HanoiError::SamePeg { peg }),
                    "{}",
                    say!(
                        "hanoi({disks}, {peg}, {peg}) must be refused because source and target are the same \
                         peg (checked before the number of disks)",
                        "hanoi({disks}, {peg}, {peg}) 必须被拒绝，因为起始柱和目标柱是同一根（在检查盘子数之前判断）"
                    )
                );
            }
        }
    }

    #[rstest]
    #[case::one_too_many(MAX_DISKS + 1)]
    #[case::sixty_four(64)]
    #[case::u32_max(u32::MAX)]
    fn refuses_too_many_disks(#[case] disks: u32) {
        // Check the count before recursing: 2^disks - 1 moves would not fit in memory.
        assert_eq!(
            hanoi(disks, Peg::A, Peg::C),
            Err(HanoiError::TooManyDisks { disks }),
            "{}",
            say!(
                "more than MAX_DISKS = {MAX_DISKS} disks must be refused before any move is made",
                "超过 MAX_DISKS = {MAX_DISKS} 个盘子必须被拒绝，而且在走任何一步之前"
            )
        );
    }

    #[test]
    fn error_texts_snapshot() {
        let texts = [
            hanoi(MAX_DISKS + 1, Peg::A, Peg::C),
            hanoi(3, Peg::B, Peg::B),
        ]
        .map(|r| match r {
            Ok(moves) => format!("Ok with {} moves (expected an error)", moves.len()),
            Err(e) => e.to_string(),
        });
        insta::assert_snapshot!("error_texts", texts.join("\n"));
    }

    proptest! {
        #[test]
        fn legal_and_shortest(disks in 0u32..=12, from in 0usize..3, offset in 1usize..3) {
            let (from, to) = (Peg::ALL[from], Peg::ALL[(from + offset) % 3]);
            let moves = solve(disks, from, to);
            check_solution(disks, from, to, &moves);
        }
    }
}

/// Permutations (全排列).
mod permutations {
    use super::*;

    fn factorial(n: usize) -> usize {
        (1..=n).product()
    }

    /// n! / (k1! · k2! · …): the number of distinct orderings of a multiset.
    fn multinomial<T: Ord>(items: &[T]) -> usize {
        let mut sorted: Vec<&T> = items.iter().collect();
        sorted.sort();
        let mut result = factorial(items.len());
        for run in sorted.chunk_by(|a, b| a == b) {
            result /= factorial(run.len());
        }
        result
    }

    fn perms<T: Ord + Clone + Debug>(items: &[T]) -> Vec<Vec<T>> {
        match permutations(items) {
            Ok(p) => p,
            Err(e) => {
                panic!(
                    "{}",
                    say!(
                        "permutations({items:?}) returned the error \"{e}\"; expected orderings",
                        "permutations({items:?}) 返回了错误“{e}”；应该返回所有排列"
                    )
                )
            }
        }
    }

    /// Panics unless `output` is every distinct ordering of `input`, once each, in
    /// lexicographic order.
    #[track_caller]
    fn check<T: Ord + Clone + Debug>(input: &[T], output: &[Vec<T>]) {
        let mut sorted_input = input.to_vec();
        sorted_input.sort();
        for p in output {
            let mut sorted_p = p.clone();
            sorted_p.sort();
            assert_eq!(
                sorted_p,
                sorted_input,
                "{}",
                say!(
                    "{p:?} is not an ordering of the input {input:?} (an item lost, added or repeated)",
                    "{p:?} 不是输入 {input:?} 的一个排列（有元素丢失、多出或重复）"
                )
            );
        }
        for pair in output.windows(2) {
            assert_ne!(
                pair[0],
                pair[1],
                "{}",
                say!(
                    "{:?} is listed twice in a row (equal items must not give repeated orderings)",
                    "{:?} 连着列出了两次（相等的元素不能产生重复的排列）",
                    pair[0]
                )
            );
            assert!(
                pair[0] < pair[1],
                "{}",
                say!(
                    "{:?} comes before {:?}: the orderings must be in lexicographic order",
                    "{:?} 排在 {:?} 前面：排列必须按字典序排列",
                    pair[0],
                    pair[1]
                )
            );
        }
        let expected = multinomial(input);
        assert_eq!(
            output.len(),
            expected,
            "{}",
            say!(
                "{input:?} has {expected} distinct orderings (n! divided by k! for each item \
                 repeated k times); you listed {}",
                "{input:?} 有 {expected} 个不同的排列（n! 除以每个重复 k 次的元素的 k!）；你列出了 {} 个",
                output.len()
            )
        );
    }

    #[rstest]
    #[case::empty(vec![])]
    #[case::one(vec![7])]
    #[case::two(vec![1, 2])]
    #[case::two_reversed(vec![2, 1])]
    #[case::two_equal(vec![5, 5])]
    #[case::three(vec![1, 2, 3])]
    #[case::three_unsorted(vec![3, 1, 2])]
    #[case::with_duplicate(vec![2, 1, 2])]
    #[case::two_pairs(vec![1, 2, 1, 2])]
    #[case::all_equal(vec![4, 4, 4, 4, 4])]
    #[case::negatives(vec![0, -1, i32::MIN, i32::MAX])]
    fn examples(#[case] input: Vec<i32>) {
        let output = perms(&input);
        check(&input, &output);
    }

    #[test]
    fn exact_lists() {
        assert_eq!(
            perms::<u8>(&[]),
            vec![Vec::<u8>::new()],
            "{}",
            say!(
                "the empty input has exactly one ordering: the empty one (0! = 1)",
                "空输入正好有一个排列：空排列（0! = 1）"
            )
        );
        assert_eq!(
            perms(&[3, 1, 2]),
            vec![
                vec![1, 2, 3],
                vec![1, 3, 2],
                vec![2, 1, 3],
                vec![2, 3, 1],
                vec![3, 1, 2],
                vec![3, 2, 1]
            ],
            "{}",
            say!(
                "every ordering of [3, 1, 2], in lexicographic order",
                "[3, 1, 2] 的全部排列，按字典序"
            )
        );
        assert_eq!(
            perms(&['b', 'a', 'a']),
            vec![
                vec!['a', 'a', 'b'],
                vec!['a', 'b', 'a'],
                vec!['b', 'a', 'a']
            ],
            "{}",
            say!(
                "equal items are interchangeable: [b, a, a] has 3 distinct orderings, not 6",
                "相等的元素可以互换：[b, a, a] 有 3 个不同的排列，不是 6 个"
            )
        );
    }

    #[test]
    fn strings_and_chinese() {
        let input: Vec<String> = ["递", "归", "a", "递"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let output = perms(&input);
        check(&input, &output);
    }

    #[test]
    fn max_items() {
        let distinct: Vec<u8> = (0..MAX_PERMUTATION_ITEMS as u8).rev().collect();
        check(&distinct, &perms(&distinct));
        let equal = vec!['x'; MAX_PERMUTATION_ITEMS];
        assert_eq!(
            perms(&equal),
            vec![equal.clone()],
            "{}",
            say!(
                "equal items have one ordering",
                "全部相等的元素只有一个排列"
            )
        );
    }

    #[rstest]
    #[case::one_too_many(MAX_PERMUTATION_ITEMS + 1)]
    #[case::twenty(20)]
    #[case::all_equal_but_too_many(MAX_PERMUTATION_ITEMS + 2)]
    fn refuses_too_many_items(#[case] len: usize) {
        let items = vec![1u8; len];
        assert_eq!(
            permutations(&items),
            Err(TooManyItems { items: len }),
            "{}",
            say!(
                "more than MAX_PERMUTATION_ITEMS = {MAX_PERMUTATION_ITEMS} items must be refused \
                 (count the items, before any recursion)",
                "超过 MAX_PERMUTATION_ITEMS = {MAX_PERMUTATION_ITEMS} 个元素必须被拒绝（先数元素个数，再递归）"
            )
        );
    }

    #[test]
    fn abc_snapshot() {
        let render = |word: &str| -> String {
            let chars: Vec<char> = word.chars().collect();
            let lines: Vec<String> = perms(&chars).iter().map(|p| p.iter().collect()).collect();
            format!("{word}: {}", lines.join(" "))
        };
        // Lexicographic order and no repeats make the list canonical.
        insta::assert_snapshot!("abc", format!("{}\n{}", render("abc"), render("aab")));
    }

    #[test]
    fn error_text_snapshot() {
        let text = match permutations(&[0; MAX_PERMUTATION_ITEMS + 1]) {
            Ok(p) => format!("Ok with {} orderings (expected an error)", p.len()),
            Err(e) => e.to_string(),
        };
        insta::assert_snapshot!("error_text", text);
    }

    proptest! {
        #[test]
        fn count_order_and_distinctness(input in prop::collection::vec(0u8..4, 0..=6)) {
            let output = perms(&input);
            check(&input, &output);
        }
    }
}

/// Fibonacci (斐波那契数列), three ways.
mod fibonacci {
    use super::*;

    /// fib(93), the largest Fibonacci number that fits in a u64.
    const FIB_93: u64 = 12_200_160_415_121_876_738;

    /// Fails fast, instead of running for hours, when `fib_memo` does not remember
    /// what it computed. Called before `fib_memo` is given any large n.
    fn assert_memo_is_linear() {
        let (value, calls) = fib_memo(25);
        assert_eq!(
            value,
            Some(75_025),
            "{}",
            say!(
                "fib_memo(25) must be Some(75025)",
                "fib_memo(25) 必须是 Some(75025)"
            )
        );
        assert!(
            calls <= 51,
            "{}",
            say!(
                "fib_memo(25) made {calls} calls; a memoised recursion makes at most 2·25 + 1 = 51 \
                 (is every computed value stored in the memo, and looked up before recursing?)",
                "fib_memo(25) 调用了 {calls} 次；带备忘录的递归最多调用 2·25 + 1 = 51 次（每个算出的值都存进备忘录了吗？递归之前先查备忘录了吗？）"
            )
        );
    }

    fn memo(n: u32) -> Option<u64> {
        assert_memo_is_linear();
        fib_memo(n).0
    }

    #[rstest]
    #[case(0, 0)]
    #[case(1, 1)]
    #[case(2, 1)]
    #[case(3, 2)]
    #[case(4, 3)]
    #[case(10, 55)]
    #[case(20, 6_765)]
    #[case(25, 75_025)]
    #[case(30, 832_040)]
    fn naive_examples(#[case] n: u32, #[case] expected: u64) {
        assert_eq!(fib_naive(n), Some(expected), "fib_naive({n})");
    }

    #[rstest]
    #[case(0, 0)]
    #[case(1, 1)]
    #[case(2, 1)]
    #[case(10, 55)]
    #[case(50, 12_586_269_025)]
    #[case(90, 2_880_067_194_370_816_120)]
    #[case(92, 7_540_113_804_746_346_429)]
    #[case(93, FIB_93)]
    fn memo_examples(#[case] n: u32, #[case] expected: u64) {
        assert_eq!(memo(n), Some(expected), "fib_memo({n}).0");
    }

    #[rstest]
    #[case(0, 0)]
    #[case(1, 1)]
    #[case(2, 1)]
    #[case(10, 55)]
    #[case(50, 12_586_269_025)]
    #[case(90, 2_880_067_194_370_816_120)]
    #[case(92, 7_540_113_804_746_346_429)]
    #[case(93, FIB_93)]
    fn iterative_examples(#[case] n: u32, #[case] expected: u64) {
        assert_eq!(fib_iterative(n), Some(expected), "fib_iterative({n})");
    }

    #[rstest]
    #[case::first_too_big(94)]
    #[case::hundred(100)]
    #[case::u32_max(u32::MAX)]
    fn iterative_overflow_is_none(#[case] n: u32) {
        // fib(94) does not fit in a u64: the answer is None, never a wrapped number.
        assert_eq!(
            fib_iterative(n),
            None,
            "{}",
            say!(
                "fib_iterative({n}) does not fit in a u64: expected None, never a wrapped number",
                "fib_iterative({n}) 超出了 u64 的范围：应返回 None，绝不能返回回绕后的数"
            )
        );
    }

    #[rstest]
    #[case::first_too_big(94)]
    #[case::hundred(100)]
    #[case::u32_max(u32::MAX)]
    fn memo_overflow_is_none(#[case] n: u32) {
        assert_eq!(
            memo(n),
            None,
            "{}",
            say!(
                "fib_memo({n}).0 does not fit in a u64: expected None (check n > 93 before \
                 allocating the memo)",
                "fib_memo({n}).0 超出了 u64 的范围：应返回 None（在分配备忘录之前检查 n > 93）"
            )
        );
    }

    #[rstest]
    #[case::first_too_big(94)]
    #[case::hundred(100)]
    #[case::u32_max(u32::MAX)]
    fn naive_overflow_is_none(#[case] n: u32) {
        assert_eq!(
            fib_naive(n),
            None,
            "{}",
            say!(
                "fib_naive({n}) does not fit in a u64: expected None (check n > 93 before \
                 recursing)",
                "fib_naive({n}) 超出了 u64 的范围：应返回 None（在递归之前检查 n > 93）"
            )
        );
    }

    /// The memo makes the recursion linear: counting the calls shows it, without
    /// timing anything.
    #[rstest]
    fn memo_call_count_is_linear(#[values(0, 1, 2, 3, 5, 10, 25, 30, 60, 93)] n: u32) {
        if n > 25 {
            // Without a working memo, fib_memo(60) would run for days: fail fast instead.
            assert_memo_is_linear();
        }
        let (value, calls) = fib_memo(n);
        assert_eq!(
            value,
            fib_iterative(n),
            "{}",
            say!("fib_memo({n}).0 is wrong", "fib_memo({n}).0 不对")
        );
        let n = n as usize;
        assert!(
            calls <= 2 * n + 1,
            "{}",
            say!(
                "fib_memo({n}) made {calls} calls; with a memo at most 2·n + 1 = {} are needed \
                 (is every computed value stored and looked up?)",
                "fib_memo({n}) 调用了 {calls} 次；有备忘录时最多需要 2·n + 1 = {} 次（每个算出的值都存下来并查找了吗？）",
                2 * n + 1
            )
        );
        assert!(
            calls >= n.saturating_sub(1).max(1),
            "{}",
            say!(
                "fib_memo({n}) reports {calls} calls; a recursion that goes down to fib(1) \
                 enters itself at least {} times (count every call, the first one included)",
                "fib_memo({n}) 报告调用了 {calls} 次；一直递归到 fib(1) 至少要进入自身 {} 次（每次调用都要算上，包括第一次）",
                n.saturating_sub(1).max(1)
            )
        );
    }

    proptest! {
        #[test]
        fn all_three_agree_on_small_n(n in 0u32..=24) {
            let naive = fib_naive(n);
            let memoised = memo(n);
            let iterative = fib_iterative(n);
            prop_assert!(naive.is_some(), "{}", say!(
                "fib_naive({}) fits in a u64 but returned None",
                "fib_naive({}) 在 u64 范围内，却返回了 None",
                n,
            ));
            prop_assert_eq!(naive, memoised, "{}", say!(
                "fib_naive({}) and fib_memo({}).0 disagree",
                "fib_naive({}) 和 fib_memo({}).0 结果不一致",
                n, n,
            ));
            prop_assert_eq!(naive, iterative, "{}", say!(
                "fib_naive({}) and fib_iterative({}) disagree",
                "fib_naive({}) 和 fib_iterative({}) 结果不一致",
                n, n,
            ));
        }

        #[test]
        fn memo_and_iterative_agree(n in 0u32..=200) {
            prop_assert_eq!(memo(n), fib_iterative(n), "{}", say!(
                "fib_memo({}).0 and fib_iterative({}) disagree",
                "fib_memo({}).0 和 fib_iterative({}) 结果不一致",
                n, n,
            ));
        }
    }

    /// fib(n + 2) = fib(n + 1) + fib(n) wherever all three fit.
    #[quickcheck]
    fn recurrence(n: u8) -> bool {
        let n = u32::from(n) % 92;
        match (fib_iterative(n), fib_iterative(n + 1), fib_iterative(n + 2)) {
            (Some(a), Some(b), Some(c)) => a + b == c,
            _ => false,
        }
    }
}

/// Factorial (阶乘).
mod factorial {
    use super::*;

    #[rstest]
    #[case(0, 1)]
    #[case(1, 1)]
    #[case(2, 2)]
    #[case(3, 6)]
    #[case(5, 120)]
    #[case(10, 3_628_800)]
    #[case(19, 121_645_100_408_832_000)]
    #[case(20, 2_432_902_008_176_640_000)]
    fn examples(#[case] n: u32, #[case] expected: u64) {
        assert_eq!(factorial(n), Some(expected), "factorial({n})");
    }

    #[rstest]
    #[case::first_too_big(21)]
    #[case::twenty_five(25)]
    #[case::sixty_six(66)]
    #[case::u32_max(u32::MAX)]
    fn overflow_is_none(#[case] n: u32) {
        assert_eq!(
            factorial(n),
            None,
            "{}",
            say!(
                "{n}! does not fit in a u64 (20! is the largest that does): the answer is None, \
                 never a wrapped number (and a huge n must not recurse n levels deep)",
                "{n}! 超出了 u64 的范围（20! 是最大能放下的）：结果是 None，绝不能是回绕后的数（而且很大的 n 不能递归 n 层）"
            )
        );
    }

    /// (n + 1)! = (n + 1) · n!.
    #[quickcheck]
    fn recurrence(n: u8) -> bool {
        let n = u32::from(n) % 20;
        factorial(n + 1) == factorial(n).map(|f| f * u64::from(n + 1))
    }
}

/// Sum of digits (数位之和).
mod digit_sum {
    use super::*;

    #[rstest]
    #[case(0, 0)]
    #[case(7, 7)]
    #[case(10, 1)]
    #[case(19, 10)]
    #[case(1234, 10)]
    #[case(99_999, 45)]
    #[case(1_000_000_000_000, 1)]
    #[case(u64::MAX, 87)]
    fn examples(#[case] n: u64, #[case] expected: u32) {
        assert_eq!(digit_sum(n), expected, "digit_sum({n})");
    }

    /// Agrees with adding up the digits of the decimal text.
    #[quickcheck]
    fn agrees_with_the_decimal_text(n: u64) -> bool {
        let expected: u32 = n.to_string().chars().map(|c| c.to_digit(10).unwrap()).sum();
        digit_sum(n) == expected
    }
}

/// Runs `f` on a thread with a `stack`-byte stack and returns its result (or passes
/// its panic on).
fn on_stack<R: Send + 'static>(stack: usize, f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .name(format!("a {} KiB stack", stack / 1024))
        .stack_size(stack)
        .spawn(f)
        .expect("the test could not start a thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The stack on which a recursive function must overflow for a deep input: 64 KiB. One
/// call per level of a few hundred thousand levels needs megabytes, whatever the
/// function's frame; a loop needs almost nothing.
const SMALL_STACK: usize = 64 * 1024;

/// Checks, in a child process that runs the test `test` again with the role
/// `"deep"`, that the child died of a stack overflow: `what` recursed once per level.
/// A loop survives the small stack, and then the check fails.
#[cfg(unix)]
fn assert_child_overflows(test: &str, what: &str) {
    let out = child::run(test, "deep", |_| {});
    assert!(
        child::overflowed(&out),
        "{}",
        say!(
            "{what} on a {} KiB stack must run out of stack (a recursion goes one call deeper per \
             level; a loop does not), but {}",
            "{what} 在 {} KiB 的栈上必须栈溢出（递归每一层多一次调用，循环不会），但是{}",
            SMALL_STACK / 1024,
            child::describe(&out)
        )
    );
}

/// Reversing a string (反转字符串).
mod reverse {
    use super::*;

    #[rstest]
    #[case::empty("", "")]
    #[case::one("a", "a")]
    #[case::two("ab", "ba")]
    #[case::word("hello", "olleh")]
    #[case::palindrome("level", "level")]
    #[case::chinese("你好，世界", "界世，好你")]
    #[case::mixed("a中b", "b中a")]
    #[case::emoji("🦀rust", "tsur🦀")]
    #[case::spaces(" a b ", " b a ")]
    fn examples(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(
            reverse(input),
            expected,
            "{}",
            say!(
                "reverse({input:?}) (characters, not bytes, are reversed)",
                "reverse({input:?})（反转的是字符，不是字节）"
            )
        );
    }

    proptest! {
        #[test]
        fn reversing_twice_gives_back_the_input(s in "\\PC{0,60}") {
            prop_assert_eq!(reverse(&reverse(&s)), s.clone(), "reverse(reverse({:?}))", s);
        }
    }

    #[quickcheck]
    fn agrees_with_chars_rev(s: String) -> bool {
        reverse(&s) == s.chars().rev().collect::<String>()
    }

    /// `reverse` must be recursive, one call per character: then 300,000 characters
    /// overflow a 64 KiB stack. The overflow kills the process, so it happens in a
    /// child process, which this test expects to die of it. A loop would survive.
    #[cfg(unix)]
    #[test]
    fn recurses_once_per_character() {
        if child::role().as_deref() == Some("deep") {
            let s = "递归".repeat(150_000);
            let reversed = on_stack(SMALL_STACK, move || reverse(&s));
            // Reached only by a loop.
            assert_eq!(reversed.chars().count(), 300_000);
            return;
        }
        assert_child_overflows(
            "reverse::recurses_once_per_character",
            &say!(
                "reverse of 300,000 characters",
                "对 300,000 个字符调用 reverse"
            ),
        );
    }
}

/// strlen (案例4), recursive and iterative, and how deep the recursion goes.
mod strlen {
    use super::*;

    fn recursive(s: &str) -> usize {
        strlen(s, &Depth::new())
    }

    #[rstest]
    #[case::empty("", 0)]
    #[case::one("a", 1)]
    #[case::word("hello", 5)]
    #[case::chinese("你好", 2)]
    #[case::course("递归深度", 4)]
    #[case::emoji("🦀", 1)]
    #[case::accent("héllo", 5)]
    fn examples(#[case] s: &str, #[case] expected: usize) {
        assert_eq!(
            recursive(s),
            expected,
            "{}",
            say!(
                "strlen({s:?}) counts characters, not bytes",
                "strlen({s:?}) 数的是字符，不是字节"
            )
        );
        assert_eq!(
            strlen_iterative(s),
            expected,
            "{}",
            say!(
                "strlen_iterative({s:?}) counts characters, not bytes",
                "strlen_iterative({s:?}) 数的是字符，不是字节"
            )
        );
    }

    /// One level of recursion per character: the depth grows with the length. This is
    /// why the recursive version cannot take a string of a million characters.
    #[rstest]
    fn recursion_depth_grows_with_length(#[values(0, 1, 2, 10, 100, 1000)] n: usize) {
        let s: String = "递a".chars().cycle().take(n).collect();
        let depth = Depth::new();
        let len = strlen(&s, &depth);
        assert_eq!(
            len,
            n,
            "{}",
            say!("strlen of {n} characters", "{n} 个字符的 strlen")
        );
        let deepest = depth.deepest();
        assert!(
            (n.max(1)..=n + 1).contains(&deepest),
            "{}",
            say!(
                "strlen of {n} characters went {deepest} calls deep; it should recurse once per \
                 character ({n} or {} levels). Call `let _level = depth.enter();` at the top of \
                 strlen (not `let _ = ...`, which ends the level at once) and pass `depth` down",
                "{n} 个字符的 strlen 递归了 {deepest} 层；它应该每个字符递归一次（{n} 或 {} 层）。在 strlen 开头写 `let _level = depth.enter();`（不要写 `let _ = ...`，那样这一层立刻就结束了），并把 `depth` 传下去",
                n + 1
            )
        );
    }

    /// `Depth` measures how deeply calls nest, not how many there were: two strlen
    /// calls one after the other on the same `Depth` go no deeper than the longer one.
    /// (This checks the given `Depth` and that each level's guard lives exactly as long
    /// as its call.)
    #[test]
    fn depth_is_the_nesting_not_the_number_of_calls() {
        let depth = Depth::new();
        assert_eq!(strlen("abc", &depth), 3, "strlen(\"abc\")");
        let after_one = depth.deepest();
        assert_eq!(strlen("ab", &depth), 2, "strlen(\"ab\")");
        assert_eq!(strlen("abc", &depth), 3, "strlen(\"abc\")");
        assert_eq!(
            depth.deepest(),
            after_one,
            "{}",
            say!(
                "strlen(\"abc\"), strlen(\"ab\") and strlen(\"abc\") one after the other \
                 nest no deeper than strlen(\"abc\") alone: each level must end (its guard \
                 dropped) when its call returns",
                "依次调用 strlen(\"abc\")、strlen(\"ab\")、strlen(\"abc\")，嵌套深度不能超过单独调用 strlen(\"abc\")：每次调用返回时，它那一层必须结束（guard 被释放）"
            )
        );
        let guard = depth.enter();
        assert_eq!(
            depth.deepest(),
            after_one,
            "{}",
            say!(
                "one level entered after the calls returned is level 1",
                "调用都返回之后再进入一层，应是第 1 层"
            )
        );
        drop(guard);
    }

    /// A million characters would overflow the call stack of the recursive version;
    /// the loop does not mind.
    /// It runs on a thread with a fixed 256 KiB stack: plenty for a loop, far too little
    /// for a million calls, whatever `RUST_MIN_STACK` says.
    #[test]
    fn iterative_survives_a_million_characters() {
        let s = "递归".repeat(500_000);
        let len = std::thread::Builder::new()
            .name("strlen_iterative on a 256 KiB stack".to_string())
            .stack_size(256 * 1024)
            .spawn(move || strlen_iterative(&s))
            .expect("the test could not start a thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        assert_eq!(
            len,
            1_000_000,
            "{}",
            say!(
                "strlen_iterative of 1,000,000 characters (3,000,000 bytes)",
                "1,000,000 个字符（3,000,000 字节）的 strlen_iterative"
            )
        );
    }

    #[quickcheck]
    fn recursive_and_iterative_agree_with_chars_count(s: String) -> bool {
        let expected = s.chars().count();
        recursive(&s) == expected && strlen_iterative(&s) == expected
    }
}

/// Listing the files under a directory (遍历查找非文件夹的文件).
mod walk {
    use super::*;

    /// A directory under the system's temp dir, unique to one test, removed on drop.
    pub struct TempTree {
        pub root: PathBuf,
    }

    impl TempTree {
        pub fn new(name: &str) -> Self {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let unique = NEXT.fetch_add(1, Ordering::Relaxed);
            let root = std::env::temp_dir().join(format!(
                "recursion-kata-{}-{name}-{unique}",
                std::process::id()
            ));
            let _ = fs::remove_dir_all(&root);
            fs::create_dir_all(&root).expect("create the temp dir");
            TempTree { root }
        }

        /// Creates the file `rel` (and its parent directories).
        pub fn file(&self, rel: &str) -> &Self {
            let path = self.root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).expect("create parent dirs");
            fs::write(&path, rel).expect("write a file");
            self
        }

        /// Creates the (empty) directory `rel`.
        pub fn dir(&self, rel: &str) -> &Self {
            fs::create_dir_all(self.root.join(rel)).expect("create a dir");
            self
        }

        pub fn paths(&self, rels: &[&str]) -> Vec<PathBuf> {
            rels.iter().map(|r| self.root.join(r)).collect()
        }
    }

    impl Drop for TempTree {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.root);
        }
    }

    fn list(root: &Path) -> Vec<PathBuf> {
        match list_files(root) {
            Ok(files) => files,
            Err(e) => panic!(
                "{}",
                say!(
                    "list_files({}) returned the error \"{e}\"",
                    "list_files({}) 返回了错误“{e}”",
                    root.display()
                )
            ),
        }
    }

    #[track_caller]
    fn check(tree: &TempTree, expected: &[&str]) {
        let got = list(&tree.root);
        let expected = tree.paths(expected);
        assert!(
            got == expected,
            "{}",
            say!(
                "list_files gave (relative to the root):\n  {:?}\nexpected every non-directory \
                 entry at any depth, sorted, each as root.join(relative path):\n  {:?}",
                "list_files 给出（相对于根目录）：\n  {:?}\n应为任意深度的每个非目录项，排好序，每个都是 root.join(相对路径)：\n  {:?}",
                got.iter()
                    .map(|p| p.strip_prefix(&tree.root).unwrap_or(p))
                    .collect::<Vec<_>>(),
                expected
                    .iter()
                    .map(|p| p.strip_prefix(&tree.root).unwrap())
                    .collect::<Vec<_>>()
            )
        );
    }

    #[test]
    fn empty_directory() {
        let tree = TempTree::new("empty");
        check(&tree, &[]);
    }

    #[test]
    fn only_empty_directories() {
        let tree = TempTree::new("only-dirs");
        tree.dir("a").dir("b/c/d");
        check(&tree, &[]);
    }

    #[test]
    fn flat_files_are_sorted() {
        let tree = TempTree::new("flat");
        tree.file("c.txt").file("a.txt").file("b.txt");
        check(&tree, &["a.txt", "b.txt", "c.txt"]);
    }

    #[test]
    fn nested_tree() {
        let tree = TempTree::new("nested");
        tree.file("readme.md")
            .file("src/lib.rs")
            .file("src/bin/main.rs")
            .file("src/bin/helpers/mod.rs")
            .file("docs/笔记.txt")
            .file("docs/.hidden")
            .file("Makefile")
            .dir("empty")
            .dir("docs/drafts");
        check(
            &tree,
            &[
                "Makefile",
                "docs/.hidden",
                "docs/笔记.txt",
                "readme.md",
                "src/bin/helpers/mod.rs",
                "src/bin/main.rs",
                "src/lib.rs",
            ],
        );
    }

    #[test]
    fn sorted_component_by_component() {
        // Paths compare component by component, and "a" < "a.txt", so everything inside
        // `a/` comes before `a.txt` (comparing the whole text would put `a.txt` first,
        // since '.' < '/').
        let tree = TempTree::new("order");
        tree.file("b").file("a.txt").file("a/z").file("a/b/c");
        check(&tree, &["a/b/c", "a/z", "a.txt", "b"]);
    }

    #[test]
    fn deep_chain() {
        let tree = TempTree::new("deep");
        let deep: String = (0..30).map(|i| format!("level{i}/")).collect();
        let file = format!("{deep}bottom.txt");
        tree.file(&file).file("top.txt");
        check(&tree, &[file.as_str(), "top.txt"]);
    }

    #[test]
    fn missing_root_is_an_error() {
        let tree = TempTree::new("missing");
        let missing = tree.root.join("not-there");
        assert_eq!(
            list_files(&missing),
            Err(WalkError {
                path: missing.clone(),
                kind: std::io::ErrorKind::NotFound
            }),
            "{}",
            say!(
                "a root that does not exist is an error naming that path, with the io::ErrorKind \
                 that fs::read_dir reports",
                "不存在的根目录是一个错误，要写明这个路径，并带上 fs::read_dir 报告的 io::ErrorKind"
            )
        );
    }

    #[test]
    fn root_that_is_a_file_is_an_error() {
        let tree = TempTree::new("file-root");
        tree.file("plain.txt");
        let file = tree.root.join("plain.txt");
        match list_files(&file) {
            Ok(files) => panic!(
                "{}",
                say!(
                    "list_files on a file must be an error (it is not a directory); got Ok({files:?})",
                    "对文件调用 list_files 必须是错误（它不是目录）；却得到 Ok({files:?})"
                )
            ),
            Err(e) => {
                assert_eq!(
                    e.path,
                    file,
                    "{}",
                    say!(
                        "the error must name the path that failed",
                        "错误必须写明出错的路径"
                    )
                );
                #[cfg(unix)]
                assert_eq!(
                    e.kind,
                    std::io::ErrorKind::NotADirectory,
                    "{}",
                    say!(
                        "the error must carry the io::ErrorKind that fs::read_dir reports for a file",
                        "错误必须带上 fs::read_dir 对文件报告的 io::ErrorKind"
                    )
                );
            }
        }
    }

    /// A directory whose full path is longer than the system accepts (PATH_MAX: 4,096
    /// bytes on Linux, 1,024 on macOS) cannot be opened by that path, whoever runs the
    /// test (root included). Listing the tree must fail there, not skip it.
    #[cfg(unix)]
    #[test]
    fn unreadable_directory_is_an_error() {
        let tree = TempTree::new("too-long");
        tree.file("top.txt");
        // Built from the bottom up, by wrapping the chain in a new directory 20 times,
        // so that no path handed to the system is long: 50 names of 100 bytes.
        let name = "d".repeat(100);
        let chain = tree.root.join("chain");
        let wrapper = tree.root.join("wrapper");
        fs::create_dir(&chain).expect("create a dir");
        fs::write(chain.join("bottom.txt"), "deep").expect("write a file");
        for _ in 0..50 {
            fs::create_dir(&wrapper).expect("create a dir");
            fs::rename(&chain, wrapper.join(&name)).expect("move a dir");
            fs::rename(&wrapper, &chain).expect("move a dir");
        }
        match list_files(&tree.root) {
            Ok(files) => panic!(
                "{}",
                say!(
                    "list_files must fail on a directory it cannot read (here its path is over \
                     5,000 bytes long), not skip it; got Ok with {} files",
                    "list_files 遇到无法读取的目录（这里它的路径超过 5,000 字节）必须失败，不能跳过它；却得到 Ok，有 {} 个文件",
                    files.len()
                )
            ),
            Err(e) => {
                let below = e.path.strip_prefix(&chain).unwrap_or_else(|_| {
                    panic!(
                        "{}",
                        say!(
                            "the error must name the directory that could not be read, inside {}; \
                             it names {}",
                            "错误必须写明无法读取的那个目录，它在 {} 里面；但错误写的是 {}",
                            chain.display(),
                            e.path.display()
                        )
                    )
                });
                assert!(
                    below.iter().count() > 1 && below.iter().all(|part| part == name.as_str()),
                    "{}",
                    say!(
                        "the error must name the directory that could not be read (deep inside \
                         the chain), not {}",
                        "错误必须写明无法读取的那个目录（在这条链的深处），而不是 {}",
                        e.path.display()
                    )
                );
            }
        }
    }

    /// The same unreadable-directory check for the other ways a directory cannot be
    /// read: no permission to list it (mode 000), at the root, one and two levels
    /// down, and a directory that can be listed but not entered (mode 600), whose
    /// subdirectory then cannot be read. Each must be a `WalkError` with
    /// `PermissionDenied`, naming the directory, never a silent skip. Permissions do
    /// not stop root, so when the suite runs as root (as in CI) the check runs in a
    /// child process as the user `nobody`; the child first makes sure that the
    /// permissions do stop it, so this test cannot pass without checking anything.
    #[cfg(unix)]
    #[test]
    fn directories_without_permission_are_errors() {
        use std::os::unix::fs::PermissionsExt;
        const CASES: [(&str, &str); 4] = [
            ("root-locked", ""),
            ("depth-1", "locked"),
            ("depth-2", "a/locked"),
            ("no-search", "half/sub"),
        ];
        if child::role().as_deref() == Some("locked") {
            let root = PathBuf::from(std::env::var("KATA_WALK_ROOT").expect("the tree's root"));
            assert!(
                fs::read_dir(&root).is_ok(),
                "the test's child (the user `nobody` when the suite runs as root) cannot \
                 read the temp dir {}: point TMPDIR at a directory everyone can read",
                root.display()
            );
            assert!(
                fs::read_dir(root.join("depth-1/locked")).is_err(),
                "the test's child can list a directory with mode 000: permissions do not \
                 apply to it, so this test cannot check anything here"
            );
            for (case, failing) in CASES {
                let case_root = root.join(case);
                let failing = case_root.join(failing);
                match list_files(&case_root) {
                    Ok(files) => panic!(
                        "{}",
                        say!(
                            "list_files({}) must fail: {} cannot be read (permission denied); \
                             got Ok({files:?})",
                            "list_files({}) 必须失败：{} 无法读取（权限不足）；却得到 Ok({files:?})",
                            case_root.display(),
                            failing.display()
                        )
                    ),
                    Err(e) => {
                        // A directory that can be listed but not entered: its entries
                        // cannot be examined either, so naming it is right too.
                        let also_ok = (case == "no-search").then(|| case_root.join("half"));
                        assert!(
                            e.path == failing || Some(&e.path) == also_ok.as_ref(),
                            "{}",
                            say!(
                                "list_files({}): the error must name the directory that \
                                 could not be read, {}, not {}",
                                "list_files({})：错误必须写明无法读取的目录 {}，而不是 {}",
                                case_root.display(),
                                failing.display(),
                                e.path.display()
                            )
                        );
                        assert_eq!(
                            e.kind,
                            std::io::ErrorKind::PermissionDenied,
                            "{}",
                            say!(
                                "list_files({}): the error's kind is what std::fs reported",
                                "list_files({})：错误的种类必须是 std::fs 报告的那个",
                                case_root.display()
                            )
                        );
                    }
                }
            }
            return;
        }
        let tree = TempTree::new("permissions");
        tree.file("root-locked/x.txt")
            .file("depth-1/top.txt")
            .file("depth-1/locked/secret.txt")
            .file("depth-2/a/b.txt")
            .file("depth-2/a/locked/secret.txt")
            .file("depth-2/z.txt")
            .file("no-search/half/sub/secret.txt")
            .file("no-search/half/y.txt");
        let mode = |rel: &str, mode: u32| {
            fs::set_permissions(tree.root.join(rel), fs::Permissions::from_mode(mode))
                .expect("change a directory's permissions");
        };
        // Everyone may walk down to the cases (whatever the umask), not into them.
        for rel in [
            "",
            "root-locked",
            "depth-1",
            "depth-2",
            "depth-2/a",
            "no-search",
        ] {
            mode(rel, 0o755);
        }
        for rel in ["root-locked", "depth-1/locked", "depth-2/a/locked"] {
            mode(rel, 0o000);
        }
        mode("no-search/half", 0o644);
        let out = child::run(
            "walk::directories_without_permission_are_errors",
            "locked",
            |cmd| {
                child::unprivileged(cmd);
                cmd.env("KATA_WALK_ROOT", &tree.root);
            },
        );
        // Give the permissions back, so that the tree can be removed.
        for rel in [
            "root-locked",
            "depth-1/locked",
            "depth-2/a/locked",
            "no-search/half",
        ] {
            mode(rel, 0o755);
        }
        assert!(
            child::passed(&out),
            "{}",
            say!(
                "listing directories it may not read{}: {}",
                "列出无权读取的目录{}：{}",
                if child::running_as_root() {
                    say!(" (as the user nobody)", "（以用户 nobody 的身份）")
                } else {
                    String::new()
                },
                child::describe(&out)
            )
        );
    }

    /// `list_files` returns `root.join(relative path)` for the `root` it was given:
    /// a relative root gives relative paths, `.` gives `./...`. Checked in a child
    /// process whose working directory is the tree, so that relative paths lead there.
    #[cfg(unix)]
    #[test]
    fn relative_root_gives_relative_paths() {
        if child::role().as_deref() == Some("relative") {
            let cases: [(&str, &[&str]); 5] = [
                ("tree", &["a.txt", "sub/b.txt"]),
                ("tree/sub", &["b.txt"]),
                (".", &["tree/a.txt", "tree/sub/b.txt"]),
                ("./tree", &["a.txt", "sub/b.txt"]),
                ("tree/sub/..", &["a.txt", "sub/b.txt"]),
            ];
            for (root, rels) in cases {
                let root = Path::new(root);
                let expected: Vec<PathBuf> = rels.iter().map(|r| root.join(r)).collect();
                let got = list(root);
                assert!(
                    got == expected,
                    "{}",
                    say!(
                        "list_files({root:?}) run in the directory holding tree/ gave {got:?}; \
                         expected {expected:?}: each path is root.join(relative path), with \
                         root exactly as given (relative stays relative, nothing canonicalised)",
                        "在包含 tree/ 的目录里运行 list_files({root:?}) 得到 {got:?}；应为 {expected:?}：每个路径都是 root.join(相对路径)，root 与传入的完全一样（相对路径保持相对，不做规范化）"
                    )
                );
            }
            return;
        }
        let tree = TempTree::new("relative");
        tree.file("tree/a.txt").file("tree/sub/b.txt");
        let out = child::run(
            "walk::relative_root_gives_relative_paths",
            "relative",
            |cmd| {
                cmd.current_dir(&tree.root);
            },
        );
        assert!(child::passed(&out), "{}", child::describe(&out));
    }

    /// A root with `..` in it, or a symbolic link to a directory, is kept as it is:
    /// `root.join(relative path)`, never canonicalised (no `..` resolved, no link
    /// replaced by its target).
    #[cfg(unix)]
    #[test]
    fn root_is_kept_as_given() {
        let tree = TempTree::new("as-given");
        tree.file("real/a.txt").file("real/sub/b.txt").dir("other");
        let dotted = tree.root.join("other/../real");
        let link = tree.root.join("link");
        std::os::unix::fs::symlink(tree.root.join("real"), &link).expect("create a symlink");
        for root in [dotted, link] {
            let expected = vec![root.join("a.txt"), root.join("sub/b.txt")];
            let got = list(&root);
            assert!(
                got == expected,
                "{}",
                say!(
                    "list_files({}) gave {got:?}; expected {expected:?}: each path is \
                     root.join(relative path) with root exactly as given (not canonicalised)",
                    "list_files({}) 得到 {got:?}；应为 {expected:?}：每个路径都是 root.join(相对路径)，root 与传入的完全一样（不做规范化）",
                    root.display()
                )
            );
        }
    }

    /// `list_files` must be recursive, one call per directory level: then a chain of
    /// 1,000 nested directories overflows a 64 KiB stack, in a child process that this
    /// test expects to die of it. A walk with its own stack of directories would not.
    #[cfg(unix)]
    #[test]
    fn recurses_once_per_directory() {
        if child::role().as_deref() == Some("deep") {
            let root = PathBuf::from(std::env::var("KATA_WALK_ROOT").expect("the tree's root"));
            let files = on_stack(SMALL_STACK, move || list_files(&root));
            // Reached only by a walk that does not recurse.
            assert_eq!(files.map(|f| f.len()).ok(), Some(1));
            return;
        }
        let tree = TempTree::new("chain");
        tree.file(&format!("{}bottom.txt", "d/".repeat(1000)));
        let out = child::run("walk::recurses_once_per_directory", "deep", |cmd| {
            cmd.env("KATA_WALK_ROOT", &tree.root);
        });
        assert!(
            child::overflowed(&out),
            "{}",
            say!(
                "list_files of 1,000 nested directories on a {} KiB stack must run out of \
                 stack (a recursive walk goes one call deeper per directory; a loop does \
                 not), but {}",
                "在 {} KiB 的栈上对 1,000 层嵌套目录调用 list_files 必须栈溢出（递归遍历每进一层目录多一次调用，循环不会），但是{}",
                SMALL_STACK / 1024,
                child::describe(&out)
            )
        );
    }

    #[test]
    fn error_text_snapshot() {
        // A relative path, so that the text is the same on every machine.
        let text = match list_files(Path::new("no-such-directory")) {
            Ok(files) => format!("Ok({files:?}) (expected an error)"),
            Err(e) => e.to_string(),
        };
        insta::assert_snapshot!("error_text", text);
    }

    /// Symbolic links are listed, never followed, whatever they point to.
    #[cfg(unix)]
    #[test]
    fn symlinks_are_listed_not_followed() {
        use std::os::unix::fs::symlink;
        let tree = TempTree::new("symlinks");
        tree.file("sub/data.txt").file("target.txt");
        symlink(tree.root.join("target.txt"), tree.root.join("link-to-file")).unwrap();
        symlink(tree.root.join("sub"), tree.root.join("link-to-dir")).unwrap();
        check(
            &tree,
            &["link-to-dir", "link-to-file", "sub/data.txt", "target.txt"],
        );
    }

    /// A link that points back up the tree would send a walk that follows links round
    /// in circles; listed as an entry, it is harmless.
    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_not_followed() {
        use std::os::unix::fs::symlink;
        let tree = TempTree::new("symlink-loop");
        tree.file("sub/data.txt");
        symlink(&tree.root, tree.root.join("sub/loop")).unwrap();
        check(&tree, &["sub/data.txt", "sub/loop"]);
    }

    /// A file path made of up to three directories `d0`..`d2` and a file `f0`..`f2`:
    /// directory and file names never clash, so any set of them is a valid tree.
    fn rel_file() -> impl Strategy<Value = String> {
        (prop::collection::vec(0u8..3, 0..4), 0u8..3).prop_map(|(dirs, file)| {
            let mut path: String = dirs.iter().map(|d| format!("d{d}/")).collect();
            path.push_str(&format!("f{file}"));
            path
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn lists_any_tree(
            files in prop::collection::btree_set(rel_file(), 0..10),
            empty_dirs in prop::collection::vec(prop::collection::vec(0u8..3, 1..4), 0..3),
        ) {
            let tree = TempTree::new("prop");
            for f in &files {
                tree.file(f);
            }
            for d in &empty_dirs {
                let rel: Vec<String> = d.iter().map(|i| format!("d{i}")).collect();
                tree.dir(&rel.join("/"));
            }
            let expected: BTreeSet<PathBuf> = files.iter().map(|f| tree.root.join(f)).collect();
            let expected: Vec<PathBuf> = expected.into_iter().collect();
            let got = list(&tree.root);
            prop_assert_eq!(got, expected, "{}", say!(
                "list_files must list every file, sorted, and no directory",
                "list_files 必须列出每个文件，排好序，不含目录",
            ));
        }
    }
}
