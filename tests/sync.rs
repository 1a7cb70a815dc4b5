//! The suite of the sync kata (线程与同步互斥). It grades both `exercises/sync`
//! (the learner's code) and `solutions/sync` (the reference).
//!
//! Test names follow `exercises/sync/README.md`, "What the tests check": one module
//! per function, so a failure names the function and the property that broke.

mod double {
    use proptest::prelude::*;
    use rstest::rstest;

    use sync::double;

    #[rstest]
    #[case::zero(0, 0)]
    #[case::one(1, 2)]
    #[case::negative(-3, -6)]
    #[case::largest(i32::MAX, 4_294_967_294)]
    fn examples(#[case] x: i32, #[case] expected: i64) {
        assert_eq!(double(x), expected, "double({x})");
    }

    proptest! {
        #[test]
        fn is_twice_the_input(x in any::<i32>()) {
            prop_assert_eq!(double(x), i64::from(x) + i64::from(x), "double({})", x);
        }
    }
}
